import Foundation

/// The OpenAI-compatible Files and Batches endpoints as DashScope documents them:
/// `POST {base}/files` (multipart, `purpose=batch`), `POST {base}/batches`, `GET {base}/batches/{id}`,
/// `GET {base}/batches?limit=…`, `GET {base}/files/{id}/content`.
struct BatchAPIClient: Sendable {
    let base: String
    let transport: ProviderTransport

    /// The `endpoint` of our jobs and the `url` of every input line.
    static let chatEndpoint = "/v1/chat/completions"

    func uploadJSONL(_ content: [UInt8], filename: String, usage: UsageMeter) async throws -> String {
        var form = MultipartForm()
        form.addField(name: "purpose", value: "batch")
        form.addFile(name: "file", filename: filename, contentType: "application/octet-stream", content: content)
        let file = try await transport.perform(
            OutgoingRequest(
                method: .post, url: Endpoints.openAI(base: base, path: "files"),
                headers: [("Content-Type", form.contentType)], body: form.body, label: "files (upload)"),
            usage: usage
        ) { try JSONDecoder().decode(OpenAIWire.FileObject.self, from: Data($0.body)) }
        return file.id
    }

    func createBatch(inputFileID: String, completionWindow: String, usage: UsageMeter) async throws -> OpenAIWire.Batch
    {
        let body = OpenAIWire.CreateBatch(
            inputFileID: inputFileID, endpoint: Self.chatEndpoint, completionWindow: completionWindow, metadata: nil)
        return try await transport.perform(
            OutgoingRequest(
                method: .post, url: Endpoints.openAI(base: base, path: "batches"),
                headers: [("Content-Type", "application/json")], body: Array(try JSONEncoder().encode(body)),
                label: "batches (create)"),
            // Never re-sent blindly: a lost answer may hide a created batch. The caller looks the
            // batch up by its input file before creating another (see BatchTranslator).
            usage: usage, retry: RetryPolicy.none
        ) { try JSONDecoder().decode(OpenAIWire.Batch.self, from: Data($0.body)) }
    }

    func batch(id: String, usage: UsageMeter) async throws -> OpenAIWire.Batch {
        try await transport.perform(
            OutgoingRequest(
                method: .get, url: Endpoints.openAI(base: base, path: "batches/" + Self.escape(id)),
                label: "batches (retrieve)"),
            usage: usage
        ) { try JSONDecoder().decode(OpenAIWire.Batch.self, from: Data($0.body)) }
    }

    /// Recent batches (used to find a batch whose creation response was lost in a crash).
    func recentBatches(limit: Int = 100, usage: UsageMeter) async throws -> [OpenAIWire.Batch] {
        struct Page: Decodable { var data: [OpenAIWire.Batch] }
        return try await transport.perform(
            OutgoingRequest(
                method: .get, url: Endpoints.openAI(base: base, path: "batches?limit=\(limit)"), label: "batches (list)"
            ),
            usage: usage
        ) { try JSONDecoder().decode(Page.self, from: Data($0.body)).data }
    }

    func fileContent(id: String, usage: UsageMeter) async throws -> [UInt8] {
        try await transport.perform(
            OutgoingRequest(
                method: .get, url: Endpoints.openAI(base: base, path: "files/" + Self.escape(id) + "/content"),
                label: "files (content)"),
            usage: usage
        ) { $0.body }
    }

    private static func escape(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
            ?? id
    }
}

/// A `multipart/form-data` body (RFC 7578) with text fields and files.
struct MultipartForm {
    let boundary = "asset3d-" + UUID().uuidString
    private var parts: [UInt8] = []

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    mutating func addField(name: String, value: String) {
        append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
    }

    mutating func addFile(name: String, filename: String, contentType: String, content: [UInt8]) {
        append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\n")
        append("Content-Type: \(contentType)\r\n\r\n")
        parts += content
        append("\r\n")
    }

    /// The body with its closing delimiter.
    var body: [UInt8] { parts + Array("--\(boundary)--\r\n".utf8) }

    private mutating func append(_ text: String) { parts += Array(text.utf8) }
}
