import AssetCatalog
import Foundation

/// One English text to translate, keyed by a caller-chosen id (usually the asset id).
public struct TranslationItem: Sendable, Hashable, Codable {
    /// Unique key within a run.
    public var id: String
    /// English source text.
    public var text: String

    /// Creates an item.
    public init(id: String, text: String) {
        self.id = id
        self.text = text
    }

    /// Items for the assets that have no real Chinese caption: their English caption, else their
    /// name. Assets whose Chinese caption is already machine-translated are skipped unless
    /// `retranslate` is true.
    public static func needingTranslation(_ assets: [Asset], retranslate: Bool = false) -> [TranslationItem] {
        assets.compactMap { asset in
            if let existing = asset.caption(.zh) {
                guard retranslate, case .machineTranslated = existing.origin else { return nil }
            }
            let source = asset.caption(.en)?.text ?? asset.name
            guard !source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
            return TranslationItem(id: asset.id.rawValue, text: source)
        }
    }
}

/// The outcome of a translation run.
public struct TranslationRun: Sendable {
    /// Chinese text by item id.
    public var translations: [String: String]
    /// Items without a translation (after this run's retries), with the reason.
    public var failures: [ItemFailure]
    /// Items submitted in a batch that has not finished yet (batch mode; resume later).
    public var pending: [String]
    /// Model that produced the translations.
    public var model: String
    /// Items translated by another model in an earlier run (batch mode), with that model.
    public var modelByItem: [String: String] = [:]
    /// Usage of this run (batch mode: usage of the batch outputs read in this run).
    public var usage: ProviderUsage

    /// Creates a run result (empty by default).
    public init(
        translations: [String: String] = [:], failures: [ItemFailure] = [], pending: [String] = [], model: String,
        usage: ProviderUsage = ProviderUsage()
    ) {
        self.translations = translations
        self.failures = failures
        self.pending = pending
        self.model = model
        self.usage = usage
    }

    /// The Chinese caption to store for `id`, marked as machine-translated by the model that wrote it.
    public func caption(for id: String) -> Caption? {
        translations[id].map {
            Caption(language: .zh, text: $0, origin: .machineTranslated(model: modelByItem[id] ?? model))
        }
    }

    /// Ids that failed, sorted.
    public var failedIDs: [String] { failures.map(\.id).sorted() }
}

/// Cleans a model answer: trims, drops wrapping quotes, rejects empty output.
enum TranslationText {
    static func clean(_ raw: String?, finishReason: String?) throws(ProviderError) -> String {
        if finishReason == "length" {
            throw ProviderError(.unusableOutput, "the translation was cut off (finish_reason length)")
        }
        var text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let pairs: [(Character, Character)] = [("\"", "\""), ("“", "”"), ("「", "」"), ("'", "'")]
        for (open, close) in pairs where text.count >= 2 && text.first == open && text.last == close {
            text = String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard !text.isEmpty else { throw ProviderError(.unusableOutput, "the model returned an empty translation") }
        return text
    }
}
