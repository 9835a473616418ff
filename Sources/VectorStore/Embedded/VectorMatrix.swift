/// The vectors of one (space, kind) as one contiguous row-major `[rows, dimension]` Float32 matrix, with the
/// owner (asset ordinal) and view index of each row, and a 4-bit and an int8 copy of every row
/// (``Int8Quantizer``) that the quantised scan reads first. Not thread-safe: ``MemoryIndex`` guards it.
///
/// Rows are unordered; a removed row is replaced by the last row, so the matrix stays dense for BLAS.
final class VectorMatrix {
    let dimension: Int
    private(set) var rowCount = 0
    private var capacity: Int
    /// `[capacity, dimension]`; rows `0..<rowCount` are valid.
    private(set) var storage: UnsafeMutablePointer<Float>
    /// Bytes per row of `codes` (the dimension rounded up to ``Int8Quantizer/alignment``).
    let codeStride: Int
    /// `[capacity, codeStride]` int8 codes; rows `0..<rowCount` are valid.
    private(set) var codes: UnsafeMutablePointer<Int8>
    /// Step and error terms of each row.
    private(set) var rowCodes: [Int8Quantizer.RowCode] = []
    /// Bytes per row of `nibbles` (``Int8Quantizer/nibbleStride(for:)``).
    let nibbleStride: Int
    /// `[capacity, nibbleStride]` 4-bit codes; rows `0..<rowCount` are valid.
    private(set) var nibbles: UnsafeMutablePointer<UInt8>
    /// Step and error terms of each row's 4-bit codes.
    private(set) var nibbleCodes: [Int8Quantizer.RowCode] = []
    /// Sum of each row's codes.
    private(set) var codeSums: [Int32] = []
    /// Asset ordinal of each row.
    private(set) var owners: [Int32] = []
    /// View index of each row.
    private(set) var views: [Int16] = []
    private var rowByKey: [RowKey: Int] = [:]
    private var viewsByOwner: [Int32: [Int16]] = [:]

    struct RowKey: Hashable {
        var owner: Int32
        var view: Int16
    }

    init(dimension: Int, capacity: Int = 0) {
        self.dimension = dimension
        self.capacity = max(capacity, 16)
        storage = .allocate(capacity: self.capacity * dimension)
        codeStride = Int8Quantizer.stride(for: dimension)
        codes = .allocate(capacity: self.capacity * codeStride)
        nibbleStride = Int8Quantizer.nibbleStride(for: dimension)
        nibbles = .allocate(capacity: self.capacity * nibbleStride)
        rowCodes.reserveCapacity(self.capacity)
        nibbleCodes.reserveCapacity(self.capacity)
        codeSums.reserveCapacity(self.capacity)
        owners.reserveCapacity(self.capacity)
        views.reserveCapacity(self.capacity)
    }

    deinit {
        storage.deallocate()
        codes.deallocate()
        nibbles.deallocate()
    }

    /// Bytes held by the vectors and their codes.
    var byteCount: Int {
        capacity * (dimension * MemoryLayout<Float>.size + codeStride + nibbleStride
            + 2 * MemoryLayout<Int8Quantizer.RowCode>.stride + 4)
    }

    /// Inserts or replaces the row for (owner, view); `fill` writes the `dimension` components.
    func set(owner: Int32, view: Int16, fill: (UnsafeMutablePointer<Float>) throws -> Void) rethrows {
        let key = RowKey(owner: owner, view: view)
        if let row = rowByKey[key] {
            try fill(storage + row * dimension)
            (rowCodes[row], codeSums[row]) = Int8Quantizer.encode(
                self.row(row), dimension: dimension, into: codes + row * codeStride)
            nibbleCodes[row] = Int8Quantizer.encodeNibbles(
                self.row(row), dimension: dimension, into: nibbles + row * nibbleStride)
            return
        }
        if rowCount == capacity { grow() }
        let row = rowCount
        try fill(storage + row * dimension)
        let (rowCode, sum) = Int8Quantizer.encode(self.row(row), dimension: dimension, into: codes + row * codeStride)
        rowCodes.append(rowCode)
        codeSums.append(sum)
        nibbleCodes.append(Int8Quantizer.encodeNibbles(self.row(row), dimension: dimension,
                                                       into: nibbles + row * nibbleStride))
        rowCount += 1
        owners.append(owner)
        views.append(view)
        rowByKey[key] = row
        viewsByOwner[owner, default: []].append(view)
    }

    /// Inserts or replaces the row for (owner, view) from a vector of `dimension` components.
    func set(owner: Int32, view: Int16, vector: [Float]) {
        set(owner: owner, view: view) { destination in
            vector.withUnsafeBufferPointer { source in
                if let base = source.baseAddress { destination.update(from: base, count: dimension) }
            }
        }
    }

    /// Removes every row of `owner`.
    func removeAll(of owner: Int32) {
        guard let ownedViews = viewsByOwner.removeValue(forKey: owner) else { return }
        for view in ownedViews {
            if let row = rowByKey.removeValue(forKey: RowKey(owner: owner, view: view)) { removeRow(row) }
        }
    }

    /// The row's components.
    func row(_ row: Int) -> UnsafeMutablePointer<Float> { storage + row * dimension }

    private func removeRow(_ row: Int) {
        let last = rowCount - 1
        if row != last {
            (storage + row * dimension).update(from: storage + last * dimension, count: dimension)
            (codes + row * codeStride).update(from: codes + last * codeStride, count: codeStride)
            (nibbles + row * nibbleStride).update(from: nibbles + last * nibbleStride, count: nibbleStride)
            rowCodes[row] = rowCodes[last]
            nibbleCodes[row] = nibbleCodes[last]
            codeSums[row] = codeSums[last]
            owners[row] = owners[last]
            views[row] = views[last]
            rowByKey[RowKey(owner: owners[row], view: views[row])] = row
        }
        rowCodes.removeLast()
        nibbleCodes.removeLast()
        codeSums.removeLast()
        owners.removeLast()
        views.removeLast()
        rowCount = last
    }

    private func grow() {
        let newCapacity = capacity * 2
        let newStorage = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity * dimension)
        newStorage.moveInitialize(from: storage, count: rowCount * dimension)
        storage.deallocate()
        storage = newStorage
        let newCodes = UnsafeMutablePointer<Int8>.allocate(capacity: newCapacity * codeStride)
        newCodes.moveInitialize(from: codes, count: rowCount * codeStride)
        codes.deallocate()
        codes = newCodes
        let newNibbles = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity * nibbleStride)
        newNibbles.moveInitialize(from: nibbles, count: rowCount * nibbleStride)
        nibbles.deallocate()
        nibbles = newNibbles
        capacity = newCapacity
    }
}
