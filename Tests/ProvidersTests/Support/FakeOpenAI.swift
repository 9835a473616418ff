import Foundation
import Synchronization

/// A stand-in for an OpenAI-compatible server (DashScope compatible mode or vLLM) covering
/// `/v1/embeddings`, `/v1/chat/completions`, `/v1/files`, `/v1/files/{id}/content` and
/// `/v1/batches`. Every request is validated (path, method, auth, content type, body shape) and
/// answered in the documented format; faults, failing items and batch outcomes are scriptable.
final class FakeOpenAI: Sendable {
    enum Fault: Sendable {
        case status(Int, retryAfter: String? = nil)
        case malformedJSON
        case delay(Duration)
    }

    /// How batches end.
    enum BatchOutcome: Sendable {
        /// Every line processed.
        case complete
        /// Only the first `n` lines processed, then `expired`.
        case expireAfter(Int)
        /// Validation fails (`failed`, with `errors`).
        case fail
    }

    struct Batch: Sendable {
        var id: String
        var inputFileID: String
        var status: String
        var outcome: BatchOutcome
        var polls = 0
        var outputFileID: String?
        var errorFileID: String?
        var errors: [[String: String]] = []
    }

    struct State: Sendable {
        var faults: [Fault] = []
        /// Fault queues per path prefix (checked before the global queue).
        var pathFaults: [String: [Fault]] = [:]
        var files: [String: [UInt8]] = [:]
        var uploads: [[String]] = []  // texts of each uploaded JSONL, in order
        var batches: [Batch] = []
        var nextID = 0
        /// Outcomes of the next batches created, in order; later batches complete.
        var outcomes: [BatchOutcome] = []
        /// Polls a batch stays `in_progress` before finishing (Int.max = never).
        var pollsUntilDone = 1
        var inFlight = 0
        var maxInFlight = 0
        /// Answer the next batch creation with 500 after creating it (a lost answer).
        var loseNextCreateAnswer = false
    }

    let apiKey: String?
    let state = Mutex(State())

    init(apiKey: String?) { self.apiKey = apiKey }

    func inject(_ faults: [Fault], path: String? = nil) {
        state.withLock {
            if let path { $0.pathFaults[path, default: []] += faults } else { $0.faults += faults }
        }
    }

    var uploads: [[String]] { state.withLock { $0.uploads } }
    var batches: [Batch] { state.withLock { $0.batches } }
    var maxInFlight: Int { state.withLock { $0.maxInFlight } }

    func handle(_ request: RecordedRequest) async -> FakeResponse {
        if let apiKey, request.headers["authorization"] != "Bearer \(apiKey)" {
            return error(
                401,
                "Incorrect API key provided: \(request.headers["authorization"] ?? "none"). "
                    + "You can find your API key in the console.", type: "invalid_request_error",
                code: "invalid_api_key")
        }
        let path = request.path.hasPrefix("/compatible-mode") ? String(request.path.dropFirst(16)) : request.path
        let fault = state.withLock { state -> Fault? in
            if let key = state.pathFaults.keys.first(where: { path.hasPrefix($0) }),
                !(state.pathFaults[key] ?? []).isEmpty
            {
                return state.pathFaults[key]?.removeFirst()
            }
            return state.faults.isEmpty ? nil : state.faults.removeFirst()
        }
        var delay: Duration?
        switch fault {
        case .status(let status, let retryAfter):
            var response = error(status, "injected \(status)", type: "server_error", code: nil)
            if let retryAfter { response.headers.append(("Retry-After", retryAfter)) }
            return response
        case .malformedJSON: return .raw("{\"data\": [{\"index\": 0, \"embe")
        case .delay(let duration): delay = duration
        case nil: break
        }
        state.withLock {
            $0.inFlight += 1
            $0.maxInFlight = max($0.maxInFlight, $0.inFlight)
        }
        var response = await route(request, path: path)
        state.withLock { $0.inFlight -= 1 }
        response.delay = delay
        return response
    }

    private func route(_ request: RecordedRequest, path: String) async -> FakeResponse {
        switch (request.method, path) {
        case ("POST", "/v1/embeddings"): return embeddings(request)
        case ("POST", "/v1/chat/completions"):
            // Long enough for concurrent requests to overlap, so the concurrency limit is observable.
            try? await Task.sleep(for: .milliseconds(5))
            return chat(request)
        case ("POST", "/v1/files"): return upload(request)
        case ("POST", "/v1/batches"): return createBatch(request)
        case ("GET", "/v1/batches"): return listBatches()
        case ("GET", _) where path.hasPrefix("/v1/batches/"): return retrieveBatch(String(path.dropFirst(12)))
        case ("GET", _) where path.hasPrefix("/v1/files/") && path.hasSuffix("/content"):
            return fileContent(String(path.dropFirst(10).dropLast(8)))
        default:
            return error(
                404, "Unknown request URL: \(request.method) \(path)", type: "invalid_request_error",
                code: "unknown_url")
        }
    }

    // MARK: Embeddings

    private func embeddings(_ request: RecordedRequest) -> FakeResponse {
        guard request.headers["content-type"]?.hasPrefix("application/json") == true, let json = request.json,
            json["model"] is String, json["encoding_format"] as? String == "float"
        else { return error(400, "model and encoding_format=float are required", type: "BadRequestError", code: nil) }
        let dimension = json["dimensions"] as? Int ?? 64
        var seeds: [String] = []
        if let input = json["input"] as? [String], json["messages"] == nil {
            seeds = input
        } else if let messages = json["messages"] as? [[String: Any]], json["input"] == nil, !messages.isEmpty {
            var parts: [String] = []
            for message in messages {
                guard let role = message["role"] as? String, ["system", "user"].contains(role) else {
                    return error(400, "bad role", type: "BadRequestError", code: nil)
                }
                if let text = message["content"] as? String { parts.append(text); continue }
                guard let content = message["content"] as? [[String: Any]] else {
                    return error(400, "content must be a string or a list of parts", type: "BadRequestError", code: nil)
                }
                for part in content {
                    switch part["type"] as? String {
                    case "text": parts.append(part["text"] as? String ?? "")
                    case "image_url":
                        guard let url = (part["image_url"] as? [String: Any])?["url"] as? String,
                            FakeDashScope.checkPNG(url, maxBytes: 20 << 20) != nil
                        else {
                            return error(
                                400, "image_url.url must be a PNG data URI", type: "BadRequestError", code: nil)
                        }
                        parts.append("img\(url.count)")
                    default: return error(400, "unknown part type", type: "BadRequestError", code: nil)
                    }
                }
            }
            seeds = [parts.joined(separator: "|")]
        } else {
            return error(400, "exactly one of input or messages is required", type: "BadRequestError", code: nil)
        }
        let data: [[String: Any]] = seeds.enumerated().map { index, seed in
            ["object": "embedding", "index": index, "embedding": FakeDashScope.vector(seed, dimension)]
        }
        let tokens = seeds.reduce(0) { $0 + $1.utf8.count / 4 + 1 }
        return .json([
            "object": "list", "data": data, "model": json["model"] ?? "",
            "usage": ["prompt_tokens": tokens, "total_tokens": tokens],
        ])
    }

    // MARK: Chat

    /// The fake "translation": a Chinese prefix plus the text. Texts containing FAIL are refused.
    static func translation(of text: String) -> String { "中文：" + text }

    private func chat(_ request: RecordedRequest) -> FakeResponse {
        guard request.headers["content-type"]?.hasPrefix("application/json") == true, let json = request.json else {
            return error(400, "body must be JSON", type: "invalid_request_error", code: nil)
        }
        switch Self.answer(toChat: json) {
        case .success(let body): return .json(body)
        case .failure(let failure):
            return error(400, failure.message, type: "invalid_request_error", code: failure.code)
        }
    }

    struct ChatFailure: Error {
        var code: String
        var message: String
    }

    /// Validates a chat body (system + user message) and answers it.
    static func answer(toChat json: [String: Any]) -> Result<[String: Any], ChatFailure> {
        guard json["model"] as? String != nil, let messages = json["messages"] as? [[String: Any]], messages.count == 2,
            messages[0]["role"] as? String == "system", messages[1]["role"] as? String == "user",
            let text = messages[1]["content"] as? String
        else {
            return .failure(ChatFailure(code: "invalid_parameter", message: "expected a system and a user message"))
        }
        if text.contains("FAIL") {
            return .failure(
                ChatFailure(code: "data_inspection_failed", message: "Input data may contain inappropriate content."))
        }
        let prompt = text.utf8.count / 4 + 10
        let body: [String: Any] = [
            "id": "chatcmpl-\(text.hashValue)", "object": "chat.completion", "model": json["model"] ?? "",
            "choices": [
                [
                    "index": 0, "finish_reason": "stop",
                    "message": ["role": "assistant", "content": translation(of: text)],
                ]
            ],
            "usage": ["prompt_tokens": prompt, "completion_tokens": 7, "total_tokens": prompt + 7],
        ]
        return .success(body)
    }

    // MARK: Files and batches

    private func upload(_ request: RecordedRequest) -> FakeResponse {
        guard let contentType = request.headers["content-type"], contentType.hasPrefix("multipart/form-data"),
            let boundary = contentType.components(separatedBy: "boundary=").last,
            let form = Multipart.parse(request.body, boundary: boundary)
        else { return error(400, "expected multipart/form-data", type: "invalid_request_error", code: nil) }
        guard form.fields["purpose"] == "batch" else {
            return error(400, "'purpose' must be 'batch'", type: "invalid_request_error", code: nil)
        }
        guard let file = form.files["file"], file.filename.hasSuffix(".jsonl") else {
            return error(400, "a .jsonl file is required", type: "invalid_request_error", code: nil)
        }
        // Validate every line as the Batch API does before accepting the job.
        var texts: [String] = []
        var customIDs = Set<String>()
        var models = Set<String>()
        for line in file.content.split(separator: UInt8(ascii: "\n")) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let customID = object["custom_id"] as? String, customIDs.insert(customID).inserted,
                object["method"] as? String == "POST", object["url"] as? String == "/v1/chat/completions",
                let body = object["body"] as? [String: Any], let model = body["model"] as? String,
                let messages = body["messages"] as? [[String: Any]], let text = messages.last?["content"] as? String
            else { return error(400, "invalid batch input line", type: "invalid_request_error", code: "invalid_file") }
            models.insert(model)
            texts.append(text)
        }
        guard models.count == 1 else {
            return error(400, "one model per file", type: "invalid_request_error", code: nil)
        }
        let id = state.withLock { state -> String in
            state.nextID += 1
            let id = "file-batch-\(state.nextID)"
            state.files[id] = file.content
            state.uploads.append(texts)
            return id
        }
        return .json([
            "id": id, "object": "file", "bytes": file.content.count, "filename": file.filename,
            "purpose": "batch", "status": "processed", "created_at": 1_776_414_394,
        ])
    }

    private func createBatch(_ request: RecordedRequest) -> FakeResponse {
        guard let json = request.json, let fileID = json["input_file_id"] as? String,
            json["endpoint"] as? String == "/v1/chat/completions", json["completion_window"] as? String == "24h"
        else {
            return error(
                400, "input_file_id, endpoint and completion_window are required", type: "invalid_request_error",
                code: nil)
        }
        let (batch, lose) = state.withLock { state -> (Batch?, Bool) in
            guard state.files[fileID] != nil else { return (nil, false) }
            state.nextID += 1
            let outcome = state.outcomes.isEmpty ? BatchOutcome.complete : state.outcomes.removeFirst()
            let batch = Batch(id: "batch_\(state.nextID)", inputFileID: fileID, status: "validating", outcome: outcome)
            state.batches.append(batch)
            let lose = state.loseNextCreateAnswer
            state.loseNextCreateAnswer = false
            return (batch, lose)
        }
        guard let batch else { return error(404, "file not found", type: "invalid_request_error", code: nil) }
        if lose { return error(500, "upstream timeout", type: "server_error", code: nil) }
        return .json(Self.object(batch))
    }

    private func listBatches() -> FakeResponse {
        let all = state.withLock { $0.batches }
        return .json(["object": "list", "data": all.reversed().map(Self.object), "has_more": false])
    }

    private func retrieveBatch(_ id: String) -> FakeResponse {
        let batch = state.withLock { state -> Batch? in
            guard let index = state.batches.firstIndex(where: { $0.id == id }) else { return nil }
            advance(&state, index)
            return state.batches[index]
        }
        guard let batch else { return error(404, "batch not found", type: "invalid_request_error", code: nil) }
        return .json(Self.object(batch))
    }

    /// validating → in_progress → (after `pollsUntilDone` polls) completed / expired / failed.
    private func advance(_ state: inout State, _ index: Int) {
        var batch = state.batches[index]
        batch.polls += 1
        switch batch.status {
        case "validating": batch.status = "in_progress"
        case "in_progress" where batch.polls > state.pollsUntilDone:
            let lines = (state.files[batch.inputFileID] ?? []).split(separator: UInt8(ascii: "\n"))
            var output: [String] = []
            var errors: [String] = []
            var processed = lines.count
            switch batch.outcome {
            case .complete: batch.status = "completed"
            case .expireAfter(let count):
                batch.status = "expired"
                processed = min(count, lines.count)
            case .fail:
                batch.status = "failed"
                batch.errors = [
                    ["code": "invalid_file", "message": "The input file could not be parsed.", "line": "1"]
                ]
                processed = 0
            }
            for line in lines.prefix(processed) {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                    let customID = object["custom_id"] as? String, let body = object["body"] as? [String: Any]
                else { continue }
                switch Self.answer(toChat: body) {
                case .success(let answer):
                    output.append(
                        Self.line([
                            "id": "r-\(customID)", "custom_id": customID, "error": NSNull(),
                            "response": ["status_code": 200, "request_id": "r-\(customID)", "body": answer],
                        ]))
                case .failure(let failure):
                    errors.append(
                        Self.line([
                            "id": "r-\(customID)", "custom_id": customID,
                            "response": [
                                "status_code": 400, "request_id": "r-\(customID)",
                                "body": ["error": ["code": failure.code, "message": failure.message]],
                            ],
                            "error": ["code": failure.code, "message": failure.message],
                        ]))
                }
            }
            if !output.isEmpty {
                state.nextID += 1
                batch.outputFileID = "file-batch_output-\(state.nextID)"
                state.files[batch.outputFileID ?? ""] = Array(output.joined(separator: "\n").utf8)
            }
            if !errors.isEmpty {
                state.nextID += 1
                batch.errorFileID = "file-batch_error-\(state.nextID)"
                state.files[batch.errorFileID ?? ""] = Array(errors.joined(separator: "\n").utf8)
            }
        default: break
        }
        state.batches[index] = batch
    }

    private func fileContent(_ id: String) -> FakeResponse {
        guard let content = state.withLock({ $0.files[id] }) else {
            return error(404, "file not found", type: "invalid_request_error", code: nil)
        }
        return FakeResponse(status: 200, headers: [("Content-Type", "application/octet-stream")], body: content)
    }

    private static func object(_ batch: Batch) -> [String: Any] {
        [
            "id": batch.id, "object": "batch", "endpoint": "/v1/chat/completions", "input_file_id": batch.inputFileID,
            "completion_window": "24h", "status": batch.status,
            "output_file_id": nullable(batch.outputFileID), "error_file_id": nullable(batch.errorFileID),
            "errors": batch.errors.isEmpty
                ? NSNull()
                : [
                    "object": "list",
                    "data": batch.errors.map { error in
                        error.mapValues { $0 as Any }.merging([
                            "line": Int(error["line"] ?? "").map { $0 as Any } ?? NSNull()
                        ]) { $1 }
                    },
                ] as [String: Any],
            "created_at": 1_776_414_394, "request_counts": ["total": 0, "completed": 0, "failed": 0],
        ]
    }

    private static func nullable(_ value: String?) -> Any { value.map { $0 as Any } ?? NSNull() }

    private static func line(_ object: [String: Any]) -> String {
        String(
            decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(),
            as: UTF8.self)
    }

    private func error(_ status: Int, _ message: String, type: String, code: String?) -> FakeResponse {
        .json(
            ["error": ["message": message, "type": type, "param": NSNull(), "code": Self.nullable(code)]],
            status: status)
    }
}

/// A minimal multipart/form-data parser for the fake server.
enum Multipart {
    struct Form {
        var fields: [String: String] = [:]
        var files: [String: (filename: String, content: [UInt8])] = [:]
    }

    static func parse(_ body: [UInt8], boundary: String) -> Form? {
        let delimiter = Array("--\(boundary)".utf8)
        var form = Form()
        var sections: [[UInt8]] = []
        var start: Int?
        var index = 0
        while index + delimiter.count <= body.count {
            if Array(body[index..<index + delimiter.count]) == delimiter {
                // The CRLF before a delimiter belongs to the delimiter.
                if let start { sections.append(Array(body[start..<max(start, index - 2)])) }
                index += delimiter.count
                if index + 2 <= body.count && body[index] == UInt8(ascii: "-") && body[index + 1] == UInt8(ascii: "-") {
                    break
                }
                index += 2  // CRLF after delimiter
                start = index
            } else {
                index += 1
            }
        }
        guard !sections.isEmpty else { return nil }
        let separator = Array("\r\n\r\n".utf8)
        for section in sections {
            guard section.count >= separator.count,
                let split = (0...(section.count - separator.count)).first(where: {
                    Array(section[$0..<$0 + separator.count]) == separator
                })
            else { return nil }
            let head = String(decoding: section[..<split], as: UTF8.self)
            let content = Array(section[(split + separator.count)...])
            guard let name = value(of: "name", in: head) else { return nil }
            if let filename = value(of: "filename", in: head) {
                form.files[name] = (filename, content)
            } else {
                form.fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
        return form
    }

    private static func value(of key: String, in head: String) -> String? {
        guard let range = head.range(of: " \(key)=\"") else { return nil }
        let rest = head[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
