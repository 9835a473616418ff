import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Talks to the Hugging Face Hub (or a mirror with the same API): lists a repository's files at a
/// revision and downloads them, resuming partial files with HTTP range requests.
public struct HubClient: Sendable {
    /// One file of a repository, with what the Hub says about it.
    public struct RemoteFile: Sendable, Equatable {
        /// Path inside the repository.
        public var path: String
        /// Size in bytes, if announced.
        public var size: Int?
        /// SHA-256 of the content (files stored with LFS).
        public var sha256: String?
        /// Git blob id: SHA-1 of `"blob <size>\0" + content` (small files).
        public var gitBlobID: String?
    }

    /// API root, `https://huggingface.co` by default.
    public var endpoint: URL
    /// Access token for gated or private repositories (sent as a bearer token, never logged).
    public var token: String?
    /// Seconds without progress before a request fails.
    public var timeout: TimeInterval

    /// A client of `endpoint`.
    public init(endpoint: URL = URL(string: "https://huggingface.co")!, token: String? = nil, timeout: TimeInterval = 20) {
        self.endpoint = endpoint
        self.token = token
        self.timeout = timeout
    }

    /// The commit a revision points at and the files of the repository there.
    public func listFiles(repo: String, revision: String) async throws -> (commit: String, files: [RemoteFile]) {
        var components = URLComponents(url: endpoint.appendingPathComponent("api/models/\(repo)/revision/\(revision)"),
                                       resolvingAgainstBaseURL: false)
        components?.queryItems = [URLQueryItem(name: "blobs", value: "true")]
        guard let url = components?.url else { throw EncoderError.download(reason: "bad repository id", hint: "") }
        let (data, response) = try await perform { try await URLSession.shared.data(for: request(url)) }
        try check(response, what: "\(repo)@\(revision)")
        struct Listing: Decodable {
            struct Sibling: Decodable {
                struct LFS: Decodable {
                    var sha256: String?
                    var size: Int?
                }
                var rfilename: String
                var size: Int?
                var blobId: String?
                var lfs: LFS?
            }
            var sha: String?
            var siblings: [Sibling]?
        }
        guard let listing = try? JSONDecoder().decode(Listing.self, from: data), let commit = listing.sha else {
            throw EncoderError.download(reason: "the Hub's answer for \(repo)@\(revision) is not a file listing", hint: "")
        }
        let files = (listing.siblings ?? []).map { sibling in
            RemoteFile(path: sibling.rfilename, size: sibling.lfs?.size ?? sibling.size, sha256: sibling.lfs?.sha256,
                       gitBlobID: sibling.lfs == nil ? sibling.blobId : nil)
        }
        return (commit, files)
    }

    /// Downloads `file` of `repo` at `commit` into `destination`, appending to what is already there
    /// (a previous interrupted download) when the server honours the range.
    public func download(repo: String, commit: String, file: RemoteFile, to destination: URL) async throws {
        let url = endpoint.appendingPathComponent("\(repo)/resolve/\(commit)/\(file.path)")
        if !FileManager.default.fileExists(atPath: destination.path) {
            _ = FileManager.default.createFile(atPath: destination.path, contents: nil)
        }
        let existing = (try? FileManager.default.attributesOfItem(atPath: destination.path)[.size] as? Int) ?? 0
        if let size = file.size, existing == size { return }
        var req = request(url)
        if existing > 0 { req.setValue("bytes=\(existing)-", forHTTPHeaderField: "Range") }
        let sink = try FileSink(url: destination, resumeOffset: existing)
        let session = URLSession(configuration: .default, delegate: sink, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let status = try await perform { try await sink.run(session.dataTask(with: req)) }
        guard status == 200 || status == 206 else {
            try check(HTTPURLResponse(url: url, statusCode: status, httpVersion: nil, headerFields: nil), what: file.path)
            return
        }
    }

    private func request(_ url: URL) -> URLRequest {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.setValue("asset3d", forHTTPHeaderField: "User-Agent")
        return request
    }

    /// Turns transport failures into a download error that says where the Hub was sought.
    private func perform<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as EncoderError {
            throw error
        } catch {
            throw EncoderError.download(reason: "cannot reach \(endpoint.absoluteString) (\(error.localizedDescription))",
                                        hint: "")
        }
    }

    private func check(_ response: URLResponse?, what: String) throws {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        switch status {
        case 200..<300: return
        case 401, 403: throw EncoderError.download(reason: "\(what) is gated or private (HTTP \(status))", hint: "Set HF_TOKEN.")
        case 404: throw EncoderError.download(reason: "\(what) does not exist on the Hub (HTTP 404)", hint: "")
        default: throw EncoderError.download(reason: "the Hub answered HTTP \(status) for \(what)", hint: "")
        }
    }
}

/// Streams a response body into a file; restarts the file when the server ignores the range.
private final class FileSink: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let handle: FileHandle
    private let resumeOffset: Int
    private let lock = NSLock()
    private var status = 0
    private var failure: (any Error)?
    private var continuation: CheckedContinuation<Int, any Error>?

    init(url: URL, resumeOffset: Int) throws {
        handle = try FileHandle(forWritingTo: url)
        self.resumeOffset = resumeOffset
    }

    func run(_ task: URLSessionDataTask) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            lock.withLock { self.continuation = continuation }
            task.resume()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        let code = (response as? HTTPURLResponse)?.statusCode ?? 0
        lock.withLock { status = code }
        do {
            if code == 206 {
                try handle.seek(toOffset: UInt64(resumeOffset))
            } else if code == 200 {
                try handle.truncate(atOffset: 0)  // a full body: start over
            } else {
                completionHandler(.cancel)
                return
            }
            completionHandler(.allow)
        } catch {
            lock.withLock { failure = error }
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        do { try handle.write(contentsOf: data) } catch {
            lock.withLock { failure = error }
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        try? handle.synchronize()
        try? handle.close()
        let (continuation, status, failure) = lock.withLock { (self.continuation, self.status, self.failure) }
        lock.withLock { self.continuation = nil }
        if let failure = failure ?? (status >= 200 && status < 300 ? error : nil) {
            continuation?.resume(throwing: failure)
        } else {
            continuation?.resume(returning: status)
        }
    }
}
