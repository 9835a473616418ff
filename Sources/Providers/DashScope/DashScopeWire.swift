/// DashScope multimodal-embedding request and response bodies, field by field from the
/// Model Studio API reference (`POST /api/v1/services/embeddings/multimodal-embedding/multimodal-embedding`).
enum DashScopeWire {
    /// Request body: `{"model", "input": {"contents": [...]}, "parameters": {...}}`.
    struct Request: Encodable, Sendable {
        var model: String
        var input: Input
        /// Omitted when empty, as the official SDKs do.
        var parameters: Parameters?
    }

    struct Input: Encodable, Sendable {
        var contents: [Content]
    }

    /// One item of `input.contents`; the key names the modality.
    enum Content: Encodable, Sendable {
        /// `{"text": "..."}`
        case text(String)
        /// `{"image": "data:image/png;base64,..."}` (a URL is accepted by the service too).
        case image(String)
        /// `{"multi_images": ["data:…", …]}` — tongyi-embedding-vision-* only.
        case multiImages([String])

        private enum Keys: String, CodingKey {
            case text, image
            case multiImages = "multi_images"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            switch self {
            case .text(let text): try container.encode(text, forKey: .text)
            case .image(let uri): try container.encode(uri, forKey: .image)
            case .multiImages(let uris): try container.encode(uris, forKey: .multiImages)
            }
        }

        var imageCount: Int {
            switch self {
            case .text: return 0
            case .image: return 1
            case .multiImages(let uris): return uris.count
            }
        }
    }

    /// `parameters`: `dimension` (int), `enable_fusion` (bool, qwen3-vl-embedding), `instruct` (string).
    struct Parameters: Encodable, Sendable {
        var dimension: Int?
        var enableFusion: Bool?
        var instruct: String?

        enum CodingKeys: String, CodingKey {
            case dimension
            case enableFusion = "enable_fusion"
            case instruct
        }

        var isEmpty: Bool { dimension == nil && enableFusion == nil && instruct == nil }
    }

    /// Response body: `{"output": {"embeddings": [{"index","embedding","type"}]}, "usage": {...}, "request_id"}`.
    struct Response: Decodable, Sendable {
        var output: Output
        var usage: Usage?
        var requestID: String?

        enum CodingKeys: String, CodingKey {
            case output, usage
            case requestID = "request_id"
        }
    }

    struct Output: Decodable, Sendable {
        var embeddings: [Embedding]
    }

    struct Embedding: Decodable, Sendable {
        var index: Int
        var embedding: [Double]
        /// `text`, `image`, `video`, `multi_images` or `fusion` (informational).
        var type: String?
    }

    /// `usage`: `input_tokens`, `image_tokens`, `image_count`, `duration` (video seconds).
    struct Usage: Decodable, Sendable {
        var inputTokens: Int?
        var imageTokens: Int?
        var imageCount: Int?
        var duration: Double?

        enum CodingKeys: String, CodingKey {
            case inputTokens = "input_tokens"
            case imageTokens = "image_tokens"
            case imageCount = "image_count"
            case duration
        }
    }
}
