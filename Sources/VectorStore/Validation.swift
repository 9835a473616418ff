import AssetCatalog

extension EmbeddingSpace {
    /// Largest dimension any store accepts (pgvector's `vector` and `halfvec` types stop at 16,000).
    public static let maximumDimension = 16_000

    /// Throws ``StoreError/Code/invalidArgument`` unless the name is 1–64 characters of `A–Z a–z 0–9 _ - .`,
    /// the model id is non-empty and the dimension is in 1…``maximumDimension``.
    public func validate() throws {
        try EmbeddingSpace.validate(name: name)
        guard !modelID.isEmpty, modelID.utf8.count <= 256 else {
            throw StoreError.invalidArgument("space '\(name)': the model id must be 1–256 bytes")
        }
        guard !revision.isEmpty, revision.utf8.count <= 128 else {
            throw StoreError.invalidArgument("space '\(name)': the revision must be 1–128 bytes")
        }
        guard (1...EmbeddingSpace.maximumDimension).contains(dimension) else {
            throw StoreError.invalidArgument(
                "space '\(name)': dimension \(dimension) is outside 1…\(EmbeddingSpace.maximumDimension)")
        }
    }

    static func validate(name: String) throws {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D || byte == 0x2E
        }
        guard allowed, (1...64).contains(name.utf8.count) else {
            throw StoreError.invalidArgument(
                "space names are 1–64 characters of letters, digits, '_', '-' and '.'; got '\(name.prefix(80))'")
        }
    }
}

extension VectorKind {
    /// Stable small integer used as the stored kind (PostgreSQL `smallint`); never renumber.
    var storageCode: Int16 {
        switch self {
        case .textEN: 1
        case .textZH: 2
        case .imageView: 3
        case .imageFused: 4
        }
    }

    init?(storageCode: Int16) {
        switch storageCode {
        case 1: self = .textEN
        case 2: self = .textZH
        case 3: self = .imageView
        case 4: self = .imageFused
        default: return nil
        }
    }
}

/// Checks and normalisation shared by every store, so both reject exactly the same inputs.
enum VectorCheck {
    /// Largest view index accepted (PostgreSQL stores it as `smallint`).
    static let maximumViewIndex = Int(Int16.max)

    /// The vector scaled to unit length. Throws for a wrong length, NaN/±Inf, or a zero vector (which has no
    /// direction — the original demo stored failed embeddings as zeros; we refuse them).
    static func normalized(_ vector: [Float], space: String, dimension: Int, what: @autoclosure () -> String)
        throws -> [Float]
    {
        guard vector.count == dimension else {
            throw StoreError.dimensionMismatch(space: space, expected: dimension, actual: vector.count)
        }
        var sumOfSquares: Double = 0
        for component in vector {
            guard component.isFinite else {
                throw StoreError(.invalidVector, "\(what()) contains NaN or infinity")
            }
            sumOfSquares += Double(component) * Double(component)
        }
        guard sumOfSquares > 0, sumOfSquares.isFinite else {
            throw StoreError(.invalidVector, "\(what()) is a zero vector (no direction); refusing to store it")
        }
        let scale = Float(1 / sumOfSquares.squareRoot())
        return vector.map { $0 * scale }
    }

    /// Validates a record's id and view index, and returns it with a unit-length vector.
    static func checked(_ record: VectorRecord, space: EmbeddingSpace) throws -> VectorRecord {
        guard record.assetID.isWellFormed else {
            throw StoreError.invalidArgument("malformed asset id '\(record.assetID.rawValue.prefix(80))'")
        }
        let viewIndex = record.kind == .imageView ? record.viewIndex : 0
        guard (0...maximumViewIndex).contains(viewIndex) else {
            throw StoreError.invalidArgument("view index \(record.viewIndex) is outside 0…\(maximumViewIndex)")
        }
        var checked = record
        checked.viewIndex = viewIndex
        checked.vector = try normalized(
            record.vector, space: space.name, dimension: space.dimension,
            what: "the \(record.kind.rawValue) vector of asset '\(record.assetID)'")
        return checked
    }

    /// Validates and normalises a query.
    static func checked(_ query: VectorQuery, space: EmbeddingSpace) throws -> [Float] {
        guard query.k >= 1 else { throw StoreError.invalidArgument("k must be at least 1, got \(query.k)") }
        guard !query.kinds.isEmpty else { throw StoreError.invalidArgument("a vector query needs at least one kind") }
        if case .approximate(let efSearch) = query.mode, !(1...1_000).contains(efSearch) {
            throw StoreError.invalidArgument("ef_search must be in 1…1000, got \(efSearch)")
        }
        return try normalized(query.vector, space: space.name, dimension: space.dimension, what: "the query vector")
    }
}
