import AssetCatalog
import Foundation
import VectorStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite struct AssetAPITests {
    @Test func detailThumbnailModelAndHealth() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.app.test(.router) { client in
            try await client.execute(uri: "/assets/chair-1", method: .get) { response in
                #expect(response.status == .ok)
                let body = try #require(response.json() as? [String: Any])
                #expect(body["name_zh"] as? String == "扶手椅")
                #expect(body["model_format"] as? String == "obj")
                #expect((body["captions"] as? [[String: Any]])?.count == 2)
                #expect((body["dimensions"] as? [String: Double])?["height"] == 95)
            }
            try await client.execute(uri: "/assets/chair-1/model", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "model/obj")
                #expect(String(buffer: response.body).hasPrefix("v 0 0 0"))
            }
            try await client.execute(uri: "/assets/sofa-1/model", method: .get) { response in
                #expect(response.headers[.contentType] == "model/gltf-binary")
            }
            try await client.execute(uri: "/assets/sofa-1/model", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "model/gltf-binary")
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/assets/chair-1/thumbnail", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
            }
            try await client.execute(uri: "/assets/0%2F10002", method: .get) { response in
                #expect(response.status == .ok)
                #expect((response.json() as? [String: Any])?["asset_id"] as? String == "0/10002")
            }
            try await client.execute(uri: "/health", method: .get) { response in
                let body = try #require(response.json() as? [String: Any])
                #expect(body["status"] as? String == "healthy")
                #expect(body["store"] as? String == "embedded")
                #expect(body["assets"] as? Int == 5)
                #expect(body["algorithms"] as? [String] == ["lexical"])
            }
        }
    }

    @Test func missingThingsAre404JSON() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.app.test(.router) { client in
            for uri in ["/assets/nope", "/assets/nope/model", "/assets/lamp/model", "/assets/lamp/thumbnail",
                        "/no/such/route"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(response.apiError().code == "not_found", "\(uri)")
                    #expect(response.headers[.init("X-Request-Id")!] != nil)
                }
            }
        }
    }

    @Test func pathTraversalNeverLeavesTheCatalog() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        // A record tampered with in the database: its paths point outside the catalog folder.
        var evil = try #require(try await fixture.store.asset("chair-1"))
        evil.id = "evil"
        evil.files.mesh = "../secret.txt"
        evil.files.icon = "/etc/passwd"
        try await fixture.store.upsert([evil])
        let link = fixture.catalogFolder.appendingPathComponent("meshes/link.obj")
        try FileManager.default.createSymbolicLink(
            at: link, withDestinationURL: fixture.catalogFolder.deletingLastPathComponent().appendingPathComponent("secret.txt"))
        var linked = evil
        linked.id = "linked"
        linked.files.mesh = "meshes/link.obj"
        linked.files.icon = nil
        try await fixture.store.upsert([linked])
        try await fixture.app.test(.router) { client in
            // Stored paths that escape: the asset exists, its file does not (404).
            for uri in ["/assets/evil/model", "/assets/evil/thumbnail", "/assets/linked/model"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(response.apiError().code == "not_found", "\(uri)")
                    #expect(!String(buffer: response.body).contains("top secret"), "\(uri)")
                }
            }
            // Escapes in the URL itself: refused as malformed (400) or unknown (404), never served.
            for uri in [
                "/assets/..%2F..%2Fsecret.txt/model", "/assets/%2E%2E/model", "/assets/chair-1/../../secret.txt",
                "/assets/chair-1/model/../../../secret.txt", "/%2E%2E/secret.txt", "/../secret.txt",
                "/vendor/three/../../../../etc/passwd", "/vendor/three/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect([.notFound, .badRequest].contains(response.status), "\(uri): \(response.status)")
                    #expect(!String(buffer: response.body).contains("top secret"), "\(uri)")
                    #expect(!String(buffer: response.body).contains("root:"), "\(uri)")
                }
            }
        }
    }

    @Test func openAPIDocumentListsEveryRoute() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.app.test(.router) { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                let document = try #require(response.json() as? [String: Any])
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: Any])
                for path in ["/health", "/search/text", "/search/image", "/assets/{id}", "/assets/{id}/thumbnail",
                             "/assets/{id}/model", "/assets/{id}/views/{n}", "/assets/{id}/similar", "/spaces",
                             "/metrics", "/openapi.json"] {
                    #expect(paths[path] != nil, "\(path) missing")
                }
            }
        }
    }

    @Test func requestIDIsEchoedWhenSane() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get, headers: [.init("X-Request-Id")!: "abc-123"]) {
                #expect($0.headers[.init("X-Request-Id")!] == "abc-123")
            }
            try await client.execute(
                uri: "/health", method: .get, headers: [.init("X-Request-Id")!: String(repeating: "x", count: 300)]
            ) {
                #expect($0.headers[.init("X-Request-Id")!]?.count == 36)
            }
        }
    }

    @Test func webPageAndThreeJSAreServed() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("AssetRetrieval3D"))
            }
            try await client.execute(uri: "/vendor/three/build/three.module.js", method: .get) { response in
                #expect(response.status == .ok, "Debian's libjs-three must be installed (scripts/setup.sh)")
            }
        }
    }
}
