import AssetCatalog
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ImageCodec
import NIOCore
import Retrieval
import RetrievalTestSupport
import Testing

@testable import Server

/// Image search, similar, views, spaces and metrics over a real store with hand-made vectors.
@Suite struct VectorAPITests {
    func withApp(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let fixture = try await EngineFixture()
        defer { fixture.cleanUp() }
        let engine = SearchEngine(
            store: fixture.store, vectors: fixture.store, embedders: [ToyEmbedder()], lexicalRefreshInterval: .zero)
        let services = ServerServices(store: fixture.store, vectors: fixture.store, engine: engine, storeName: "embedded")
        try await Application(router: buildRouter(services)).test(.router, body)
    }

    static func multipart(_ data: Data, field: String = "file", boundary: String = "XyZ123") -> (HTTPFields, ByteBuffer) {
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"q.png\"\r\n")
        body.writeString("Content-Type: image/png\r\n\r\n")
        body.writeBytes(data)
        body.writeString("\r\n--\(boundary)--\r\n")
        return ([.contentType: "multipart/form-data; boundary=\(boundary)"], body)
    }

    @Test func imageUploadFindsTheMatchingViews() async throws {
        let png = try PNGEncoder.encode(ToyEmbedder.image((255, 0, 0)))
        try await withApp { client in
            let (headers, body) = Self.multipart(png)
            try await client.execute(
                uri: "/search/image?algorithm=toy&top_k=2", method: .post, headers: headers, body: body
            ) { response in
                #expect(response.status == .ok)
                let envelope = try #require(response.json() as? [String: Any])
                let results = try #require(envelope["results"] as? [[String: Any]])
                #expect(results.map { $0["asset_id"] as? String } == ["chair-a", "chair-b"])
                let view = try #require(results[0]["matched_view"] as? [String: Any])
                #expect(view["index"] as? Int == 2)
                #expect(view["url"] as? String == "/assets/chair-a/views/2")
                #expect(envelope["algorithm"] as? String == "toy")
                #expect(envelope["answered_by"] as? String == "toy:image")
                #expect(envelope["cross_modal"] as? Bool == false)
            }
            // Image → captions.
            try await client.execute(
                uri: "/search/image?cross_modal=True&top_k=1", method: .post, headers: headers, body: body
            ) { response in
                #expect(response.results()?.first?["asset_id"] as? String == "chair-a")
            }
            // A raw image body works too.
            try await client.execute(
                uri: "/search/image?top_k=1", method: .post, headers: [.contentType: "image/png"],
                body: ByteBuffer(bytes: png)
            ) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func badUploadsAreRefusedWithTheRightStatus() async throws {
        // A PNG header claiming 60000×60000 pixels, then nothing.
        let bomb = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
            + Data([0, 0, 0xEA, 0x60, 0, 0, 0xEA, 0x60, 8, 2, 0, 0, 0, 0, 0, 0, 0])
        try await withApp { client in
            let cases: [(Data, String, HTTPResponse.Status, String)] = [
                (Data("just some text".utf8), "file", .unsupportedMediaType, "unsupported_media_type"),
                (Data(), "file", .badRequest, "invalid_request"),
                (bomb, "file", .contentTooLarge, "payload_too_large"),
                (Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]), "file", .badRequest, "invalid_image"),
                (Data("x".utf8), "picture", .badRequest, "invalid_request"),
            ]
            for (data, field, status, code) in cases {
                var (headers, body) = Self.multipart(data, field: field)
                if field == "picture" {
                    // Two parts, none named file.
                    body = ByteBuffer(string: "--XyZ123\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
                        + "--XyZ123\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n--XyZ123--\r\n")
                    headers = [.contentType: "multipart/form-data; boundary=XyZ123"]
                }
                try await client.execute(uri: "/search/image", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == status, "\(code)")
                    #expect(response.apiError().code == code)
                }
            }
            try await client.execute(
                uri: "/search/image", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}")
            ) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            try await client.execute(
                uri: "/search/image?top_k=abc", method: .post, headers: [.contentType: "image/png"],
                body: ByteBuffer(bytes: try PNGEncoder.encode(ToyEmbedder.image((1, 2, 3))))
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.apiError().message.contains("top_k"))
            }
        }
    }

    @Test func similarViewsAndSpaces() async throws {
        try await withApp { client in
            try await client.execute(uri: "/assets/chair-a/similar?algorithm=toy&top_k=3", method: .get) { response in
                let ids = response.results()?.compactMap { $0["asset_id"] as? String } ?? []
                #expect(ids.count == 3)
                #expect(!ids.contains("chair-a"))
            }
            try await client.execute(uri: "/assets/missing/similar", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/assets/chair-a/views/2", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
                let image = try ImageDecoder.decode(Data(response.body.readableBytesView))
                #expect(image.pixels[0] == 80)
            }
            for uri in ["/assets/chair-a/views/7", "/assets/chair-a/views/x", "/assets/table-a/views/0"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect([.notFound, .badRequest].contains(response.status), "\(uri)")
                }
            }
            try await client.execute(uri: "/spaces", method: .get) { response in
                let spaces = try #require(response.json() as? [[String: Any]])
                let toy = try #require(spaces.first)
                #expect(toy["name"] as? String == "toy")
                #expect(toy["dimension"] as? Int == 4)
                #expect(toy["loaded"] as? Bool == true)
                #expect(toy["images"] as? Bool == true)
                #expect((toy["counts"] as? [String: Int])?["image_view"] == 8)
            }
        }
    }

    @Test func metricsExposeRequestsAndSearchTimers() async throws {
        try await withApp { client in
            try await client.execute(
                uri: "/search/text", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"query":"chair"}"#)
            ) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains("asset3d_search_source_seconds"))
                #expect(text.contains("source=\"toy\""))
                #expect(text.contains("asset3d_query_embedding_seconds"))
                #expect(text.contains("http_requests_total") || text.contains("hb_requests"))
            }
        }
    }
}
