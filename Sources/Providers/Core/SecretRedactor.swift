/// Removes API keys from text that came from elsewhere (server error messages can echo a key,
/// e.g. OpenAI-style "Incorrect API key provided: sk-…"), before the text is logged or stored in
/// a ``ProviderError``.
public struct SecretRedactor: Sendable, Hashable {
    private let secrets: [String]

    /// Creates a redactor for the given secrets; empty and very short strings are ignored.
    public init(secrets: [String?]) {
        self.secrets = secrets.compactMap { $0 }.filter { $0.count >= 6 }.sorted { $0.count > $1.count }
    }

    /// `text` with every secret (and the 8-character ends of long ones) replaced by `[redacted]`.
    public func redact(_ text: String) -> String {
        var result = text
        for secret in secrets {
            result = result.replacing(secret, with: "[redacted]")
            // Masked echoes keep both ends ("sk-abc1****wxyz"): drop 8-character prefixes and suffixes too.
            if secret.count >= 12 {
                result = result.replacing(String(secret.prefix(8)), with: "[redacted]")
                result = result.replacing(String(secret.suffix(8)), with: "[redacted]")
            }
        }
        return result
    }

    /// `redact(_:)` and cut to `limit` characters so one huge body cannot flood a log line.
    public func redactAndTruncate(_ text: String, limit: Int = 300) -> String {
        let redacted = redact(text)
        return redacted.count <= limit ? redacted : String(redacted.prefix(limit)) + "…"
    }
}
