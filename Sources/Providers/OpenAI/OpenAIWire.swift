/// OpenAI-compatible request and response bodies used here: `/v1/embeddings` (plain and vLLM's
/// chat-style multimodal form), `/v1/chat/completions`, `/v1/files`, `/v1/batches`.
enum OpenAIWire {
    // MARK: Messages

    /// A chat message; `content` is a string or a list of typed parts.
    struct Message: Codable, Sendable {
        var role: String
        var content: Content
    }

    enum Content: Codable, Sendable {
        case text(String)
        case parts([Part])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .parts(try container.decode([Part].self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .parts(let parts): try container.encode(parts)
            }
        }
    }

    /// `{"type": "text", "text"}` or `{"type": "image_url", "image_url": {"url"}}`.
    struct Part: Codable, Sendable {
        var type: String
        var text: String?
        var imageURL: ImageURL?

        enum CodingKeys: String, CodingKey {
            case type, text
            case imageURL = "image_url"
        }

        static func text(_ text: String) -> Part { Part(type: "text", text: text) }
        static func image(_ url: String) -> Part { Part(type: "image_url", imageURL: ImageURL(url: url)) }
    }

    struct ImageURL: Codable, Sendable {
        var url: String
    }

    // MARK: Embeddings

    /// `POST /v1/embeddings` with `input` (texts) or, vLLM's extension, `messages` (multimodal).
    struct EmbeddingsRequest: Encodable, Sendable {
        var model: String
        var input: [String]?
        var messages: [Message]?
        var encodingFormat = "float"
        var dimensions: Int?

        enum CodingKeys: String, CodingKey {
            case model, input, messages, dimensions
            case encodingFormat = "encoding_format"
        }
    }

    struct EmbeddingsResponse: Decodable, Sendable {
        var data: [EmbeddingData]
        var usage: Usage?
    }

    struct EmbeddingData: Decodable, Sendable {
        var index: Int
        var embedding: [Double]
    }

    struct Usage: Codable, Sendable {
        var promptTokens: Int?
        var completionTokens: Int?
        var totalTokens: Int?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case totalTokens = "total_tokens"
        }
    }

    // MARK: Chat

    /// `POST /v1/chat/completions`.
    struct ChatRequest: Codable, Sendable {
        var model: String
        var messages: [Message]
        var temperature: Double?
        var maxTokens: Int?
        /// DashScope extension for Qwen3 hybrid-thinking models; omitted unless configured.
        var enableThinking: Bool?

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature
            case maxTokens = "max_tokens"
            case enableThinking = "enable_thinking"
        }
    }

    struct ChatResponse: Decodable, Sendable {
        var choices: [Choice]
        var usage: Usage?
    }

    struct Choice: Decodable, Sendable {
        var message: ChoiceMessage?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case message
            case finishReason = "finish_reason"
        }
    }

    struct ChoiceMessage: Decodable, Sendable {
        var content: String?
    }

    // MARK: Files and batches

    /// The File object returned by `POST /v1/files`.
    struct FileObject: Decodable, Sendable {
        var id: String
        var purpose: String?
        var status: String?
    }

    /// `POST /v1/batches` body.
    struct CreateBatch: Encodable, Sendable {
        var inputFileID: String
        var endpoint: String
        var completionWindow: String
        var metadata: [String: String]?

        enum CodingKeys: String, CodingKey {
            case inputFileID = "input_file_id"
            case endpoint
            case completionWindow = "completion_window"
            case metadata
        }
    }

    /// The Batch object (`validating`, `in_progress`, `finalizing`, `completed`, `failed`, `expired`,
    /// `cancelling`, `cancelled`).
    struct Batch: Decodable, Sendable {
        var id: String
        var status: String
        var inputFileID: String?
        var outputFileID: String?
        var errorFileID: String?
        var errors: BatchErrors?
        var requestCounts: RequestCounts?

        enum CodingKeys: String, CodingKey {
            case id, status, errors
            case inputFileID = "input_file_id"
            case outputFileID = "output_file_id"
            case errorFileID = "error_file_id"
            case requestCounts = "request_counts"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            status = try container.decode(String.self, forKey: .status)
            inputFileID = try container.decodeIfPresent(String.self, forKey: .inputFileID)
            outputFileID = try container.decodeIfPresent(String.self, forKey: .outputFileID)
            errorFileID = try container.decodeIfPresent(String.self, forKey: .errorFileID)
            // Informational only: an unexpected shape here must not hide the status.
            errors = try? container.decodeIfPresent(BatchErrors.self, forKey: .errors)
            requestCounts = try? container.decodeIfPresent(RequestCounts.self, forKey: .requestCounts)
        }
    }

    struct BatchErrors: Decodable, Sendable {
        var data: [BatchError]?
    }

    struct BatchError: Decodable, Sendable {
        var code: String?
        var message: String?
        var line: Int?
    }

    struct RequestCounts: Decodable, Sendable {
        var total: Int?
        var completed: Int?
        var failed: Int?
    }

    /// One line of the input JSONL: `{"custom_id","method":"POST","url","body"}`.
    struct BatchInputLine: Encodable, Sendable {
        var customID: String
        var method = "POST"
        var url: String
        var body: ChatRequest

        enum CodingKeys: String, CodingKey {
            case customID = "custom_id"
            case method, url, body
        }
    }

    /// One line of the output or error JSONL:
    /// `{"id","custom_id","response":{"status_code","request_id","body"},"error":{"code","message"}}`.
    struct BatchOutputLine: Decodable, Sendable {
        var customID: String
        var response: BatchResponse?
        var error: BatchError?

        enum CodingKeys: String, CodingKey {
            case customID = "custom_id"
            case response, error
        }
    }

    struct BatchResponse: Decodable, Sendable {
        var statusCode: Int?
        var requestID: String?
        var body: BatchResponseBody?

        enum CodingKeys: String, CodingKey {
            case statusCode = "status_code"
            case requestID = "request_id"
            case body
        }
    }

    /// A chat completion on success, or `{"error": {...}}` on failure.
    struct BatchResponseBody: Decodable, Sendable {
        var choices: [Choice]?
        var usage: Usage?
        var error: BatchError?
    }
}
