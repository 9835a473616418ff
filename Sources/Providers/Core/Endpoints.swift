import Foundation

/// URL building for the two API families, tolerant of how users write base URLs.
enum Endpoints {
    /// DashScope's native multimodal-embedding endpoint under a host root such as
    /// `https://dashscope.aliyuncs.com` or `https://dashscope-intl.aliyuncs.com` (a root that already
    /// ends in `/api/v1` is accepted too).
    static func dashScopeMultimodalEmbedding(base: String) -> String {
        let root = trimmed(base)
        let api = root.hasSuffix("/api/v1") ? root : root + "/api/v1"
        return api + "/services/embeddings/multimodal-embedding/multimodal-embedding"
    }

    /// An OpenAI-style path (`embeddings`, `chat/completions`, `files`, `batches/ID`, …) under a root.
    /// Roots that end in a version segment (`…/v1`, `…/compatible-mode/v1`) get the path appended;
    /// bare hosts (`http://gpu-box:8000`) get `/v1/` first, as `POST {base}/v1/embeddings` reads.
    static func openAI(base: String, path: String) -> String {
        let root = trimmed(base)
        let last = root.split(separator: "/").last.map(String.init) ?? ""
        let isVersion = last.count >= 2 && last.first == "v" && last.dropFirst().allSatisfy(\.isNumber)
        return (isVersion ? root : root + "/v1") + "/" + path
    }

    private static func trimmed(_ base: String) -> String {
        var root = base.trimmingCharacters(in: .whitespaces)
        while root.hasSuffix("/") { root.removeLast() }
        return root
    }
}
