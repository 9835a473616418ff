import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A request as the fake server received it.
struct RecordedRequest: Sendable {
    var method: String
    var path: String
    var query: String?
    /// Header names lower-cased; repeated headers joined with ", ".
    var headers: [String: String]
    var body: [UInt8]

    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }
}

/// What the fake server answers.
struct FakeResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = [("Content-Type", "application/json")]
    var body: [UInt8] = []
    /// Real delay before answering (to test client timeouts; cut short when the server stops).
    var delay: Duration? = nil

    static func json(_ object: Any, status: Int = 200, headers: [(String, String)] = []) -> FakeResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return FakeResponse(
            status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(data))
    }

    static func raw(_ text: String, status: Int = 200, contentType: String = "application/json") -> FakeResponse {
        FakeResponse(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }
}

/// A real HTTP/1.1 server (Hummingbird) on 127.0.0.1 with an ephemeral port, answering every
/// request through `handler`. Used to stand in for the paid remote APIs; the clients under test
/// talk to it over a real socket exactly as they would to the service.
final class FakeHTTPServer: Sendable {
    let port: Int
    private let task: Task<Void, any Error>
    private let recorded = Mutex<[RecordedRequest]>([])
    private let stopping = Mutex(false)

    var isStopping: Bool { stopping.withLock { $0 } }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var requests: [RecordedRequest] { recorded.withLock { $0 } }

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    /// Starts the server and returns once it accepts connections.
    static func start(
        handler: @escaping @Sendable (RecordedRequest) async -> FakeResponse
    ) async throws -> FakeHTTPServer {
        let box = Mutex<FakeHTTPServer?>(nil)
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 64 << 20)
            var headers: [String: String] = [:]
            for field in request.headers {
                let name = field.name.canonicalName.lowercased()
                headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
            }
            let recordedRequest = RecordedRequest(
                method: request.method.rawValue, path: request.uri.path, query: request.uri.query, headers: headers,
                body: Array(buffer.readableBytesView))
            box.withLock { $0 }?.recorded.withLock { $0.append(recordedRequest) }
            let answer = await handler(recordedRequest)
            if let delay = answer.delay {
                // Sleep in small steps so `stop()` does not wait for a long injected delay.
                let deadline = ContinuousClock.now + delay
                while ContinuousClock.now < deadline, box.withLock({ $0 })?.isStopping != true {
                    try? await Task.sleep(for: .milliseconds(5))
                }
            }
            var fields = HTTPFields()
            for (name, value) in answer.headers {
                if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
            }
            return Response(
                status: HTTPResponse.Status(code: answer.status), headers: fields,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        var logger = Logger(label: "fake-server")
        logger.logLevel = .critical
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        let task = Task { try await app.runService() }
        var iterator = portStream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw FakeServerError.didNotStart
        }
        let server = FakeHTTPServer(port: port, task: task)
        box.withLock { $0 = server }
        return server
    }

    /// Stops the server (cancelling its service; in-flight requests are dropped).
    func stop() async {
        stopping.withLock { $0 = true }
        task.cancel()
        _ = await task.result
    }
}

enum FakeServerError: Error {
    case didNotStart
}
