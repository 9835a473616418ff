import Foundation
import Synchronization

/// A stand-in for DashScope's native multimodal-embedding endpoint that checks every request
/// against the documented shape (path, `Authorization: Bearer`, JSON body, content keys, per-model
/// limits, image data URIs) and answers in the documented format — or with an injected fault.
final class FakeDashScope: Sendable {
    /// One fault for one upcoming request.
    enum Fault: Sendable {
        case status(Int, code: String, retryAfter: String? = nil)
        case malformedJSON
        case delay(Duration)
    }

    /// A request that passed validation.
    struct Call: Sendable {
        var model: String
        var texts: [String]
        /// (width, height, data URI bytes) per image, in order.
        var images: [(width: Int, height: Int, bytes: Int)]
        var multiImageGroups: [Int]
        var enableFusion: Bool?
        var dimension: Int?
        var instruct: String?
    }

    static let path = "/api/v1/services/embeddings/multimodal-embedding/multimodal-embedding"

    private struct ModelLimits {
        var dimensions: [Int]
        var defaultDimension: Int
        var maxImages: Int
        var maxImageBytes: Int
        var fusionParameter: Bool
        var multiImages: Bool
    }

    private static let models: [String: ModelLimits] = [
        "qwen3-vl-embedding": ModelLimits(
            dimensions: [2560, 2048, 1536, 1024, 768, 512, 256], defaultDimension: 2560, maxImages: 5,
            maxImageBytes: 5 << 20, fusionParameter: true, multiImages: false),
        "tongyi-embedding-vision-plus": ModelLimits(
            dimensions: [1152, 1024, 512, 256, 128, 64], defaultDimension: 1152, maxImages: 8, maxImageBytes: 3 << 20,
            fusionParameter: false, multiImages: true),
        "multimodal-embedding-v1": ModelLimits(
            dimensions: [], defaultDimension: 1024, maxImages: 1, maxImageBytes: 3 << 20, fusionParameter: false,
            multiImages: false),
    ]

    let apiKey: String
    private let faults = Mutex<[Fault]>([])
    private let calls = Mutex<[Call]>([])
    private let counter = Mutex(0)

    init(apiKey: String) { self.apiKey = apiKey }

    /// Queues faults answered, in order, instead of the next requests.
    func inject(_ newFaults: [Fault]) { faults.withLock { $0 += newFaults } }

    /// Requests that passed validation.
    var validCalls: [Call] { calls.withLock { $0 } }

    func handle(_ request: RecordedRequest) async -> FakeResponse {
        let requestID = "req-\(counter.withLock { $0 += 1; return $0 })"
        guard request.method == "POST", request.path == Self.path else {
            return .json(
                ["code": "InvalidURL", "message": "Invalid URL provided in your request.", "request_id": requestID],
                status: 404)
        }
        guard request.headers["authorization"] == "Bearer \(apiKey)" else {
            return .json(
                ["code": "InvalidApiKey", "message": "Invalid API-key provided.", "request_id": requestID],
                status: 401)
        }
        guard request.headers["content-type"]?.hasPrefix("application/json") == true else {
            return invalid("Content-Type must be application/json", requestID)
        }
        if let fault = faults.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
            switch fault {
            case .status(let status, let code, let retryAfter):
                return .json(
                    ["code": code, "message": "injected \(status)", "request_id": requestID], status: status,
                    headers: retryAfter.map { [("Retry-After", $0)] } ?? [])
            case .malformedJSON:
                return .raw("{\"output\": {\"embeddings\": [{\"index\": 0, \"embedd")
            case .delay(let duration):
                var response = await respond(to: request, requestID: requestID)
                response.delay = duration
                return response
            }
        }
        return await respond(to: request, requestID: requestID)
    }

    private func respond(to request: RecordedRequest, requestID: String) async -> FakeResponse {
        guard let json = request.json, let model = json["model"] as? String, !model.isEmpty else {
            return .json(
                [
                    "code": "BadRequest.EmptyModel", "message": "Required parameter \"model\" missing from request.",
                    "request_id": requestID,
                ], status: 400)
        }
        guard let limits = Self.models[model] else {
            return .json(
                ["code": "ModelNotFound", "message": "Model not exist.", "request_id": requestID], status: 400)
        }
        guard let input = json["input"] as? [String: Any], let contents = input["contents"] as? [[String: Any]],
            !contents.isEmpty, contents.count <= 20
        else { return invalid("input.contents must be a non-empty array of at most 20 objects", requestID) }
        let parameters = json["parameters"] as? [String: Any] ?? [:]
        if json["parameters"] != nil && parameters.isEmpty { return invalid("parameters must be an object", requestID) }
        let unknownTop = Set(json.keys).subtracting(["model", "input", "parameters"])
        guard unknownTop.isEmpty else { return invalid("unknown fields \(unknownTop.sorted())", requestID) }
        var call = Call(model: model, texts: [], images: [], multiImageGroups: [])
        if let dimension = parameters["dimension"] {
            guard let value = dimension as? Int, limits.dimensions.contains(value) else {
                return invalid("dimension \(dimension) is not supported by \(model)", requestID)
            }
            call.dimension = value
        }
        if let fusion = parameters["enable_fusion"] {
            guard let value = fusion as? Bool, limits.fusionParameter else {
                return invalid("enable_fusion is not supported by \(model)", requestID)
            }
            call.enableFusion = value
        }
        if let instruct = parameters["instruct"] {
            guard let value = instruct as? String, model == "qwen3-vl-embedding" else {
                return invalid("instruct is not supported by \(model)", requestID)
            }
            call.instruct = value
        }
        let unknownParameters = Set(parameters.keys).subtracting(["dimension", "enable_fusion", "instruct"])
        guard unknownParameters.isEmpty else {
            return invalid("unknown parameters \(unknownParameters.sorted())", requestID)
        }
        var seeds: [String] = []
        for content in contents {
            guard content.count == 1, let key = content.keys.first else {
                return invalid("each content must have exactly one of text, image, multi_images", requestID)
            }
            switch key {
            case "text":
                guard let text = content["text"] as? String, !text.isEmpty else {
                    return invalid("empty text", requestID)
                }
                if text.contains("MODERATED") {
                    return .json(
                        [
                            "code": "DataInspectionFailed",
                            "message": "Input data may contain inappropriate content.", "request_id": requestID,
                        ],
                        status: 400)
                }
                call.texts.append(text)
                seeds.append(text)
            case "image":
                guard let uri = content["image"] as? String,
                    let image = Self.checkPNG(uri, maxBytes: limits.maxImageBytes)
                else { return invalid("image must be a PNG data URI within \(limits.maxImageBytes) bytes", requestID) }
                call.images.append(image)
                seeds.append("image:\(uri.count):\(uri.suffix(32))")
            case "multi_images":
                guard limits.multiImages, let uris = content["multi_images"] as? [String], !uris.isEmpty,
                    uris.count <= limits.maxImages
                else { return invalid("multi_images not accepted here", requestID) }
                for uri in uris {
                    guard let image = Self.checkPNG(uri, maxBytes: limits.maxImageBytes) else {
                        return invalid("multi_images entries must be PNG data URIs within limits", requestID)
                    }
                    call.images.append(image)
                }
                call.multiImageGroups.append(uris.count)
                seeds.append("multi:" + uris.map { "\($0.count)" }.joined(separator: ","))
            default:
                return invalid("unknown content key \(key)", requestID)
            }
        }
        guard call.images.count <= limits.maxImages else {
            return invalid("too many images: \(call.images.count) > \(limits.maxImages)", requestID)
        }
        calls.withLock { $0.append(call) }
        let dimension = call.dimension ?? limits.defaultDimension
        let fused = call.enableFusion == true
        let vectorSeeds = fused ? [seeds.joined(separator: "|")] : seeds
        let embeddings: [[String: Any]] = vectorSeeds.enumerated().map { index, seed in
            let vector = seed.contains("ZERO") ? [Double](repeating: 0, count: dimension) : Self.vector(seed, dimension)
            return ["index": index, "embedding": vector, "type": fused ? "fusion" : "text"]
        }
        let usage: [String: Any] = [
            "input_tokens": call.texts.reduce(0) { $0 + $1.utf8.count / 4 + 1 },
            "image_tokens": call.images.reduce(0) { $0 + ($1.width / 32) * ($1.height / 32) + 2 },
            "image_count": call.images.count,
        ]
        return .json(["output": ["embeddings": embeddings], "usage": usage, "request_id": requestID])
    }

    private func invalid(_ message: String, _ requestID: String) -> FakeResponse {
        .json(["code": "InvalidParameter", "message": message, "request_id": requestID], status: 400)
    }

    /// Width, height and size of a `data:image/png;base64,` URI, or nil when it is not one or too big.
    static func checkPNG(_ uri: String, maxBytes: Int) -> (width: Int, height: Int, bytes: Int)? {
        let prefix = "data:image/png;base64,"
        guard uri.hasPrefix(prefix), uri.utf8.count <= maxBytes,
            let data = Data(base64Encoded: String(uri.dropFirst(prefix.count))), data.count > 24
        else { return nil }
        let bytes = [UInt8](data)
        guard bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
            Array(bytes[12..<16]) == Array("IHDR".utf8)
        else { return nil }
        func int(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (int(16), int(20), uri.utf8.count)
    }

    /// A deterministic pseudo-random vector for `seed`.
    static func vector(_ seed: String, _ dimension: Int) -> [Double] {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 { state = (state ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return (0..<dimension).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(Int64(bitPattern: state >> 11) % 2000) / 1000 - 1
        }
    }
}
