import Foundation

/// What the header says about one tensor.
public struct TensorInfo: Sendable, Equatable {
    /// Element type.
    public let dtype: SafetensorsDType
    /// Dimensions, outermost first.
    public let shape: [Int]
    /// Byte range inside the data section (after the header).
    public let dataRange: Range<Int>
}

/// One `.safetensors` file, memory-mapped: an 8-byte little-endian header length, a JSON header
/// `{name: {dtype, shape, data_offsets}, "__metadata__": {…}}`, then the tensor bytes.
///
/// The header is validated when the file is opened: its length fits in the file, every dtype is
/// known, every range lies inside the data section and matches its shape, and no two ranges overlap.
public final class SafetensorsFile: Sendable {
    /// Tensors by name.
    public let tensors: [String: TensorInfo]
    /// The free-form `__metadata__` strings.
    public let metadata: [String: String]
    /// Path of the file, for messages.
    public let path: String
    private let mapping: MappedFile
    private let dataStart: Int

    /// Maps and validates the file at `url`.
    public init(url: URL) throws {
        let file = try MappedFile(path: url.path)
        let path = url.path
        guard file.size >= 8, let base = file.base else {
            throw NeuralError.truncatedFile(path: path, expectedBytes: 8, actualBytes: file.size)
        }
        let headerLength = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        // The format caps headers at 100 MB; anything larger is corruption, not a model.
        guard headerLength <= 100_000_000 else {
            throw NeuralError.invalidHeader(path: path, reason: "header length \(headerLength) is implausible")
        }
        let dataStart = 8 + Int(headerLength)
        guard dataStart <= file.size else {
            throw NeuralError.truncatedFile(path: path, expectedBytes: dataStart, actualBytes: file.size)
        }
        let headerBytes = Data(bytes: base + 8, count: Int(headerLength))
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: headerBytes)
        } catch {
            throw NeuralError.invalidHeader(path: path, reason: "the header is not JSON")
        }
        guard let entries = json as? [String: Any] else {
            throw NeuralError.invalidHeader(path: path, reason: "the header is not a JSON object")
        }
        let dataSize = file.size - dataStart
        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let strings = value as? [String: String] else {
                    throw NeuralError.invalidHeader(path: path, reason: "__metadata__ must map strings to strings")
                }
                metadata = strings
                continue
            }
            tensors[name] = try Self.parseEntry(name: name, value: value, dataSize: dataSize, path: path)
        }
        try Self.checkOverlaps(tensors, path: path)
        self.tensors = tensors
        self.metadata = metadata
        self.path = path
        self.mapping = file
        self.dataStart = dataStart
    }

    private static func parseEntry(name: String, value: Any, dataSize: Int, path: String) throws -> TensorInfo {
        guard let entry = value as? [String: Any], let dtypeName = entry["dtype"] as? String,
              let shapeValues = entry["shape"] as? [Any], let offsetValues = entry["data_offsets"] as? [Any]
        else {
            throw NeuralError.invalidHeader(path: path, reason: "entry '\(name)' lacks dtype, shape or data_offsets")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw NeuralError.unknownDType(path: path, tensor: name, dtype: dtypeName)
        }
        let shape = try shapeValues.map { try integer($0, path: path, what: "shape of '\(name)'") }
        let offsets = try offsetValues.map { try integer($0, path: path, what: "data_offsets of '\(name)'") }
        guard offsets.count == 2, offsets[0] <= offsets[1] else {
            throw NeuralError.invalidHeader(path: path, reason: "data_offsets of '\(name)' must be [begin, end]")
        }
        guard offsets[1] <= dataSize else {
            throw NeuralError.truncatedFile(path: path, expectedBytes: offsets[1], actualBytes: dataSize)
        }
        var elements = 1
        for dim in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw NeuralError.invalidHeader(path: path, reason: "shape of '\(name)' overflows") }
            elements = product
        }
        guard elements * dtype.byteSize == offsets[1] - offsets[0] else {
            throw NeuralError.invalidHeader(
                path: path,
                reason: "'\(name)' has shape \(shape) of \(dtype.rawValue) (\(elements * dtype.byteSize) bytes) "
                    + "but its data_offsets span \(offsets[1] - offsets[0]) bytes")
        }
        return TensorInfo(dtype: dtype, shape: shape, dataRange: offsets[0]..<offsets[1])
    }

    private static func integer(_ value: Any, path: String, what: String) throws -> Int {
        guard let number = value as? Int, number >= 0 else {
            throw NeuralError.invalidHeader(path: path, reason: "\(what) must be non-negative integers")
        }
        return number
    }

    private static func checkOverlaps(_ tensors: [String: TensorInfo], path: String) throws {
        let sorted = tensors.filter { !$0.value.dataRange.isEmpty }
            .sorted { ($0.value.dataRange.lowerBound, $0.key) < ($1.value.dataRange.lowerBound, $1.key) }
        for (previous, next) in zip(sorted, sorted.dropFirst())
        where next.value.dataRange.lowerBound < previous.value.dataRange.upperBound {
            throw NeuralError.overlappingTensors(path: path, first: previous.key, second: next.key)
        }
    }

    /// The tensor `name` converted to Float32.
    public func tensor(named name: String) throws -> Tensor {
        guard let info = tensors[name] else { throw NeuralError.tensorNotFound(name: name) }
        guard info.dtype.convertsToFloat32 else {
            throw NeuralError.unsupportedDType(tensor: name, dtype: info.dtype.rawValue)
        }
        let count = info.shape.reduce(1, *)
        var result = Tensor(zeros: info.shape)
        guard count > 0, let base = mapping.base else { return result }
        let source = base + dataStart + info.dataRange.lowerBound
        result.scalars.withUnsafeMutableBufferPointer { out in
            FloatConversion.decode(info.dtype, from: source, count: count, into: out.baseAddress!)
        }
        mapping.release(source, byteCount: info.dataRange.count)
        return result
    }
}

extension SafetensorsFile {
    /// Writes Float32 tensors as a safetensors file (names sorted, data packed in that order).
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let count = tensors[name]?.count ?? 0
            header[name] = ["dtype": "F32", "shape": tensors[name]?.shape ?? [], "data_offsets": [offset, offset + 4 * count]]
            offset += 4 * count
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while (8 + json.count) % 8 != 0 { json.append(0x20) }  // pad so tensor data is aligned
        var data = Data()
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(json)
        for name in names {
            tensors[name]?.scalars.withUnsafeBufferPointer { data.append(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) }
        }
        do { try data.write(to: url) } catch {
            throw NeuralError.cannotOpen(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
