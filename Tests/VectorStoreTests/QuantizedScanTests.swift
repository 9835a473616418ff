import AssetCatalog
import CVectorKernels
import Foundation
import Testing
@testable import VectorStore

/// The embedded store's quantised exact scan (`ExactSearch`, `Int8Quantizer`, the C kernels): each fast part
/// against its plain reference.
@Suite("Quantised exact scan")
struct QuantizedScanTests {
    @Test("int8 kernel equals the plain loop, for odd row counts, long rows and extreme codes",
          arguments: [(1, 64), (3, 64), (5, 128), (37, 448), (9, 4_160)])
    func kernelMatchesReference(rows: Int, stride: Int) {
        var random = SeededGenerator(seed: UInt64(rows * 7_919 + stride))
        // Codes in [-127, 127]; the first row is all extremes to catch overflow or saturation.
        var codes = (0..<rows * stride).map { _ in Int8.random(in: -127...127, using: &random) }
        for index in 0..<stride { codes[index] = index % 2 == 0 ? 127 : -127 }
        var query = (0..<stride).map { _ in Int8.random(in: -127...127, using: &random) }
        query[0] = 127
        query[1] = -127
        let sums = (0..<rows).map { row in codes[row * stride..<(row + 1) * stride].reduce(Int32(0)) { $0 + Int32($1) } }
        var fast = [Int32](repeating: 0, count: rows)
        var reference = [Int32](repeating: 0, count: rows)
        a3d_int8_dot_rows(codes, rows, stride, query, sums, &fast)
        a3d_int8_dot_rows_reference(codes, rows, stride, query, &reference)
        #expect(fast == reference, "kernel \(String(cString: a3d_int8_kernel_name()))")
        // Selected rows, out of order and repeated, give the same products.
        let selection = (0..<rows).reversed().map { Int32($0) } + [0]
        var selected = [Int32](repeating: 0, count: selection.count)
        a3d_int8_dot_selected_rows(codes, selection, selection.count, stride, query, sums, &selected)
        #expect(selected == selection.map { reference[Int($0)] })
        let expectedFirst = (0..<stride).reduce(Int32(0)) { $0 + Int32(codes[$1]) * Int32(query[$1]) }
        #expect(reference[0] == expectedFirst)
    }

    @Test("4-bit kernel equals the plain loop, for odd row counts, several groups and extreme codes",
          arguments: [(1, 64), (4, 64), (7, 192), (33, 384), (5, 2_112)])
    func nibbleKernelMatchesReference(rows: Int, stride: Int) {
        var random = SeededGenerator(seed: UInt64(rows * 31 + stride))
        // Nibbles in [0, 15]; the first row is all 15s against a query of ±127 to catch overflow or saturation.
        var codes = (0..<rows * stride).map { _ in UInt8.random(in: 0...255, using: &random) }
        for index in 0..<stride { codes[index] = 0xFF }
        var query = (0..<2 * stride).map { _ in Int8.random(in: -127...127, using: &random) }
        for index in 0..<64 { query[index] = 127 }
        var fast = [Int32](repeating: 0, count: rows)
        var reference = [Int32](repeating: 0, count: rows)
        a3d_nibble_dot_rows(codes, rows, stride, query, &fast)
        a3d_nibble_dot_rows_reference(codes, rows, stride, query, &reference)
        #expect(fast == reference, "kernel \(String(cString: a3d_int8_kernel_name()))")
        // The layout, spelled out: byte j of group g is component 128g + j (low) and 128g + 64 + j (high).
        var expected: Int32 = 0
        for component in 0..<2 * stride {
            let (group, offset) = component.quotientAndRemainder(dividingBy: 128)
            let byte = codes[group * 64 + offset % 64]
            expected += Int32(offset < 64 ? byte & 0x0F : byte >> 4) * Int32(query[component])
        }
        #expect(reference[0] == expected)
    }

    @Test("4-bit codes: the packed layout decodes to the codes, and the bound holds",
          arguments: [5, 128, 300, 768])
    func nibbleBoundHolds(dimension: Int) {
        var random = SeededGenerator(seed: UInt64(dimension) + 99)
        var vectors: [[Float]] = (0..<60).map { _ in unit(random.vector(dimension)) }
        var spike = [Float](repeating: 1e-4, count: dimension)
        spike[dimension / 2] = 1
        vectors += [unit(spike), [Float](repeating: 0, count: dimension)]
        let stride = Int8Quantizer.nibbleStride(for: dimension)
        for query in vectors.prefix(8) + [unit(spike)] {
            let coded = Int8Quantizer.encode(query: query)
            #expect(coded.codes.count >= 2 * stride)
            for vector in vectors {
                var packed = [UInt8](repeating: 0xAA, count: stride)
                let row = vector.withUnsafeBufferPointer { v in
                    packed.withUnsafeMutableBufferPointer {
                        Int8Quantizer.encodeNibbles(v.baseAddress!, dimension: dimension, into: $0.baseAddress!)
                    }
                }
                var raw: Int32 = 0
                a3d_nibble_dot_rows_reference(packed, 1, stride, coded.codes, &raw)
                let dot = Int8Quantizer.nibbleDot(raw, query: coded)
                let approximate = Double(dot) * Double(row.step) * Double(coded.step)
                let exact = zip(vector, query).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                #expect(abs(exact - approximate) <= Double(row.errorTerm * coded.norm + row.norm * coded.error))
                // Decoding the nibbles gives back each component within half a step, codes within ±7, and the
                // padding codes are 0.
                let decoded = (0..<2 * stride).map { component -> Int in
                    let (group, offset) = component.quotientAndRemainder(dividingBy: 128)
                    let byte = packed[group * 64 + offset % 64]
                    return Int(offset < 64 ? byte & 0x0F : byte >> 4) - 8
                }
                #expect(decoded.allSatisfy { abs($0) <= 7 })
                #expect(decoded[dimension...].allSatisfy { $0 == 0 })
                #expect((0..<dimension).allSatisfy { component in
                    abs(Float(decoded[component]) * row.step - vector[component]) <= row.step / 2 * 1.0001 + 1e-9
                })
            }
        }
    }

    @Test("the bound holds: |x·q − x̂·q̂| ≤ bound for unit, spiky, tiny and zero vectors")
    func boundHolds() {
        var random = SeededGenerator(seed: 11)
        let dimension = 300
        var vectors: [[Float]] = (0..<200).map { _ in unit(random.vector(dimension)) }
        var spike = [Float](repeating: 1e-4, count: dimension)
        spike[17] = 1
        vectors.append(unit(spike))
        vectors.append([Float](repeating: 0, count: dimension))
        vectors.append(random.vector(dimension).map { $0 * 1e-6 })
        let stride = Int8Quantizer.stride(for: dimension)
        var worstRatio: Float = 0
        for query in vectors.prefix(20) + [unit(spike)] {
            let coded = Int8Quantizer.encode(query: query)
            for vector in vectors {
                var codes = [Int8](repeating: 1, count: stride)
                let (row, sum) = vector.withUnsafeBufferPointer { v in
                    codes.withUnsafeMutableBufferPointer { Int8Quantizer.encode(v.baseAddress!, dimension: dimension, into: $0.baseAddress!) }
                }
                #expect(codes[dimension...].allSatisfy { $0 == 0 }, "padding is zero")
                #expect(sum == codes.reduce(Int32(0)) { $0 + Int32($1) })
                let dot = zip(codes, coded.codes).reduce(Int32(0)) { $0 + Int32($1.0) * Int32($1.1) }
                let approximate = Double(dot) * Double(row.step) * Double(coded.step)
                let exact = zip(vector, query).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                let bound = Double(row.errorTerm * coded.norm + row.norm * coded.error)
                #expect(abs(exact - approximate) <= bound)
                if bound > 0 { worstRatio = max(worstRatio, Float(abs(exact - approximate) / bound)) }
            }
        }
        // The bound is worst-case; for 300-d unit vectors it must still be tight enough to prune (≤ 0.05).
        let unitQuery = Int8Quantizer.encode(query: vectors[0])
        var codes = [Int8](repeating: 0, count: stride)
        let (row, _) = vectors[1].withUnsafeBufferPointer { v in
            codes.withUnsafeMutableBufferPointer { Int8Quantizer.encode(v.baseAddress!, dimension: dimension, into: $0.baseAddress!) }
        }
        #expect(row.errorTerm * unitQuery.norm + row.norm * unitQuery.error < 0.05)
        #expect(worstRatio > 0)
    }

    @Test("quantised search equals the float32 scan of every row (one scan block, and several)",
          arguments: [(3, 400), (64, 400), (384, 400), (32, 5_000)])
    func searchMatchesReference(dimension: Int, assetCount: Int) {
        var random = SeededGenerator(seed: UInt64(dimension))
        var directory = AssetDirectory()
        for index in 0..<assetCount {
            _ = directory.upsert(id: AssetID(String(format: "a-%04d", index)), library: index % 5 == 0 ? "five" : "rest",
                                 categoryKey: nil, license: nil, largestSide: nil)
        }
        // Clustered data: 20 centres, assets near a centre, views near their asset; some views exact duplicates
        // (ties between views and between assets).
        let centres = (0..<20).map { _ in unit(random.vector(dimension)) }
        let views = VectorMatrix(dimension: dimension)
        let texts = VectorMatrix(dimension: dimension)
        var assetVectors: [[Float]] = []
        for owner in 0..<assetCount {
            let centre = centres[owner % 20]
            let asset = unit(zip(centre, random.vector(dimension)).map { $0 + 0.3 * $1 })
            assetVectors.append(asset)
            for view in 0..<4 {
                let vector = owner % 7 == 0 ? asset : unit(zip(asset, random.vector(dimension)).map { $0 + 0.2 * $1 })
                views.set(owner: Int32(owner), view: Int16(view), vector: vector)
            }
            if owner % 3 == 0 { texts.set(owner: Int32(owner), view: 0, vector: asset) }
        }
        texts.removeAll(of: 42)
        views.removeAll(of: 42)  // a deleted asset's rows (rows move: the codes must move with them)
        if assetCount > 1_000 { #expect(views.rowCount > ExactSearch.blockRows, "the scan runs in several blocks") }
        let matrices: [(VectorKind, VectorMatrix)] = [(.imageView, views), (.textEN, texts)]
        let queries = (0..<12).map { number in
            number % 4 == 0 ? assetVectors[number * 13] : unit(zip(assetVectors[number * 13], random.vector(dimension)).map { $0 + 0.4 * $1 })
        }
        let cases: [(Int, AssetFilter, Set<AssetID>)] = [
            (10, AssetFilter(), []), (1, AssetFilter(), []), (50, AssetFilter(libraries: ["five"]), []),
            (10, AssetFilter(), [AssetID("a-0000"), AssetID("a-0013")]), (1_000, AssetFilter(), []),
            (3, AssetFilter(libraries: ["five"]), [AssetID("a-0065")]),  // selective: only admitted rows are read
        ]
        for query in queries {
            for (k, filter, excluding) in cases {
                let (fast, floatRows) = ExactSearch.scan(
                    query, matrices: matrices, directory: directory, k: k, filter: filter, excluding: excluding)
                let reference = ExactSearch.reference(query, matrices: matrices, directory: directory, k: k,
                                                      filter: filter, excluding: excluding)
                #expect(fast == reference, "k \(k), filter \(filter.libraries), excluding \(excluding.count)")
                #expect(fast.count == min(k, reference.count))
                #expect(!fast.contains { $0.assetID == AssetID("a-0042") })
                // Pruning works where the data allows it: with 384 components and k 10 of 400 clustered assets,
                // most rows never need a float32 score.
                if dimension == 384 && k == 10 { #expect(floatRows < (views.rowCount + texts.rowCount) / 4) }
            }
        }
    }

    @Test("k-th largest of the finite values")
    func kthLargest() {
        #expect(ExactSearch.kthLargest([3, -.infinity, 1, 2, 5], k: 2) == 3)
        #expect(ExactSearch.kthLargest([3, -.infinity, 1], k: 3) == -.infinity)
        #expect(ExactSearch.kthLargest([4, 4, 4, 1], k: 3) == 4)
        var random = SeededGenerator(seed: 3)
        let values = (0..<1_000).map { _ in Float.random(in: -1...1, using: &random) }
        #expect(ExactSearch.kthLargest(values, k: 37) == values.sorted(by: >)[36])
    }
}
