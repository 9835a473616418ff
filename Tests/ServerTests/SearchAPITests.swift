import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite struct SearchAPITests {
    func post(_ json: String, _ check: @escaping @Sendable (TestResponse) throws -> Void) async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.app.test(.router) { client in
            try await client.execute(
                uri: "/search/text", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(json: json)
            ) { response in try check(response) }
        }
    }

    @Test func originalDemoRequestGetsEveryResultField() async throws {
        try await post(#"{"query":"armchair","algorithm":"lexical","language":"en","cross_modal":false,"top_k":5}"#) {
            response in
            #expect(response.status == .ok)
            #expect(response.headers[.init("X-Request-Id")!] != nil)
            #expect(response.headers[.init("X-Search-Algorithm")!] == "lexical")
            let results = try #require(response.results())
            #expect(results.map { $0["asset_id"] as? String } == ["chair-1", "chair-2"])
            let first = results[0]
            for key in ["asset_id", "similarity", "caption_en", "caption_cn", "objaverse_id", "model_url", "name",
                        "category", "thumbnail_url", "scores"] {
                #expect(first.keys.contains(key) || key == "objaverse_id", "missing \(key)")
            }
            #expect(first["caption_en"] as? String == "Armchair")
            #expect(first["caption_cn"] as? String == "扶手椅")
            #expect(first["model_url"] as? String == "/assets/chair-1/model")
            #expect(first["thumbnail_url"] as? String == "/assets/chair-1/thumbnail")
            #expect((first["similarity"] as? Double ?? 0) > 0)
            #expect((first["scores"] as? [String: Double])?["lexical"] != nil)
        }
    }

    @Test func chineseQueriesAndEncodedIDs() async throws {
        try await post(#"{"query":"扶手椅","top_k":5}"#) { response in
            let results = try #require(response.results())
            #expect(results.first?["asset_id"] as? String == "chair-1")
            #expect(response.headers[.init("X-Query-Language")!] == "zh")
        }
        try await post(#"{"query":"木桌","language":"cn"}"#) { response in
            let results = try #require(response.results())
            #expect(results.first?["asset_id"] as? String == "0/10002")
            #expect(results.first?["model_url"] as? String == "/assets/0%2F10002/model")
        }
    }

    @Test func responseObjectFiltersAndPages() async throws {
        try await post(#"{"query":"armchair sofa","language":"english","top_k":1}"#) { response in
            // The original demo's fields, echoed as sent, then ours.
            let body = try #require(response.json() as? [String: Any])
            #expect((body["results"] as? [Any])?.count == 1)
            #expect(body["query"] as? String == "armchair sofa")
            #expect(body["algorithm"] as? String == "auto")
            #expect(body["language"] as? String == "english")
            #expect(body["cross_modal"] as? Bool == false)
            #expect(body["answered_by"] as? String == "lexical")
            #expect(body["query_language"] as? String == "en")
            #expect(body["has_more"] as? Bool == true)
        }
        try await post(#"{"query":"armchair sofa","top_k":10,"filters":{"category":["living room"]}}"#) { response in
            let ids = response.results()?.compactMap { $0["asset_id"] as? String }
            #expect(Set(ids ?? []) == ["chair-1", "sofa-1"])
        }
        try await post(#"{"query":"armchair sofa","filters":{"min_size":200}}"#) { response in
            let ids = response.results()?.compactMap { $0["asset_id"] as? String }
            #expect(ids == ["sofa-1"])
        }
        try await post(#"{"query":"armchair","top_k":1,"page":1}"#) { response in
            let ids = response.results()?.compactMap { $0["asset_id"] as? String }
            #expect(ids == ["chair-2"])
        }
    }

    @Test(arguments: [
        (#"{"query":"chair","top_k":0}"#, "invalid_request", "top_k"),
        (#"{"query":"chair","top_k":101}"#, "invalid_request", "top_k"),
        (#"{"query":"   "}"#, "invalid_request", "empty"),
        (#"{"query":"chair","algorithm":"bogus"}"#, "unknown_algorithm", "bogus"),
        (#"{"query":"chair","algorithm":"siglip"}"#, "unsupported", "not indexed"),
        (#"{"query":"chair","algorithm":"lexical","cross_modal":true}"#, "unsupported", "cross_modal"),
        (#"{"query":"chair","language":"fr"}"#, "invalid_request", "language"),
        (#"{"query":"chair","page":-1}"#, "invalid_request", "page"),
        (#"{"top_k":3}"#, "invalid_json", "query"),
        (#"{"query":5}"#, "invalid_json", "query"),
        (#"{"query":"chair""#, "invalid_json", "JSON"),
    ])
    func callerMistakesAre400WithACode(body: String, code: String, mentions: String) async throws {
        try await post(body) { response in
            #expect(response.status == .badRequest)
            let error = response.apiError()
            #expect(error.code == code)
            #expect(error.message.contains(mentions), "\(error.message)")
            #expect(response.headers[.init("X-Request-Id")!] != nil)
            // FastAPI-style `detail` for clients written against the original demo.
            #expect((response.json() as? [String: Any])?["detail"] as? String == error.message)
        }
    }

    @Test func overlongQueriesAreRejected() async throws {
        let long = String(repeating: "chair ", count: 300)
        try await post(#"{"query":"\#(long)"}"#) { response in
            #expect(response.status == .badRequest)
            #expect(response.apiError().message.contains("limit"))
        }
    }
}
