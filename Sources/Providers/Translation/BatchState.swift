import Foundation

/// What a batch translation has done so far, persisted as JSON after every step so a run can
/// resume after a crash or days later without uploading (and paying for) finished items again.
///
/// The file is `translation-state.json` in the directory the caller passes; it holds no secrets.
struct BatchState: Codable, Sendable {
    /// Bumped when the layout changes incompatibly.
    static let currentVersion = 1

    enum ItemStatus: String, Codable, Sendable {
        /// Waiting to be submitted.
        case pending
        /// In a batch job that has not been collected yet.
        case submitted
        /// Translated.
        case done
        /// Failed; resubmitted on a later run while `attempts < maxAttempts`.
        case failed
    }

    struct Item: Codable, Sendable {
        /// The English source: when a caption changes, it is translated again.
        var source: String
        var status: ItemStatus
        var translation: String?
        /// Model that produced ``translation``.
        var model: String?
        var lastError: String?
        var attempts: Int
        /// Local id of the job holding the item while `submitted`.
        var job: String?
    }

    enum JobPhase: String, Codable, Sendable {
        /// Input written to state; nothing uploaded yet.
        case preparing
        /// Input file uploaded (`inputFileID` set); batch not yet known to exist.
        case uploaded
        /// Batch creation was sent; if `batchID` is missing after a crash, the batch list is searched
        /// for one with our input file before creating another.
        case creating
        /// Batch exists (`batchID` set) and is not finished.
        case running
        /// Results read back into the items; the job is history.
        case collected
    }

    struct Job: Codable, Sendable {
        var localID: String
        /// `custom_id` → item id.
        var customIDs: [String: String]
        var phase: JobPhase
        var inputFileID: String?
        var batchID: String?
        /// Last remote status seen (`validating`, `in_progress`, …).
        var remoteStatus: String?
        var createdAt: Date
    }

    var version = BatchState.currentVersion
    var items: [String: Item] = [:]
    var jobs: [Job] = []
    var nextCustomID = 0
    var nextJobID = 0
    /// Usage of every output collected so far (what the batch jobs consumed).
    var usage = ProviderUsage()
}

/// Reads and writes the state file atomically, under an exclusive `flock` so two processes
/// cannot drive the same batches at once.
final class BatchStateStore {
    let directory: URL
    private let stateURL: URL
    private let lockDescriptor: Int32

    init(directory: URL) throws(ProviderError) {
        self.directory = directory
        self.stateURL = directory.appendingPathComponent("translation-state.json")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ProviderError(.stateFile, "cannot create the batch state directory \(directory.path): \(error)")
        }
        let lockPath = directory.appendingPathComponent("translation-state.lock").path
        let descriptor = open(lockPath, O_CREAT | O_RDWR, 0o644)
        guard descriptor >= 0 else { throw ProviderError(.stateFile, "cannot open the lock file \(lockPath)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw ProviderError(
                .stateFile, "another translation run is using \(directory.path); wait for it or stop it first")
        }
        lockDescriptor = descriptor
    }

    deinit {
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
    }

    func load() throws(ProviderError) -> BatchState {
        guard FileManager.default.fileExists(atPath: stateURL.path) else { return BatchState() }
        do {
            let state = try JSONDecoder.stateDecoder.decode(BatchState.self, from: Data(contentsOf: stateURL))
            guard state.version == BatchState.currentVersion else {
                throw ProviderError(
                    .stateFile, "\(stateURL.path) has version \(state.version); expected \(BatchState.currentVersion)")
            }
            return state
        } catch let error as ProviderError {
            throw error
        } catch {
            throw ProviderError(.stateFile, "\(stateURL.path) is not a readable batch state: \(error)")
        }
    }

    func save(_ state: BatchState) throws(ProviderError) {
        do {
            let data = try JSONEncoder.stateEncoder.encode(state)
            try data.write(to: stateURL, options: .atomic)
        } catch {
            throw ProviderError(.stateFile, "cannot write \(stateURL.path): \(error)")
        }
    }
}

extension JSONEncoder {
    fileprivate static var stateEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension JSONDecoder {
    fileprivate static var stateDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
