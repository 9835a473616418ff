/// The two caption languages the product searches in.
public enum Language: String, Sendable, Codable, CaseIterable, Hashable {
    /// English.
    case en
    /// Chinese (simplified or traditional; the original demo calls this `cn`).
    case zh

    /// Parses the spellings users and the original demo use: `en`, `cn`, `zh`, `zh-CN`, `中文`, ….
    public init?(flexible value: String) {
        switch value.lowercased() {
        case "en", "eng", "english", "en-us", "en_us", "en-gb": self = .en
        case "cn", "zh", "zh-cn", "zh_cn", "zh-hans", "zh-tw", "zh_tw", "zh-hant", "chinese", "中文": self = .zh
        default: return nil
        }
    }
}

/// Where a caption's text came from; kept so users can tell catalog text from machine output.
public enum CaptionOrigin: Sendable, Codable, Hashable {
    /// Written by the catalog's authors; `locale` is the file it came from (e.g. `zh_CN`, `zh_TW`, `en`).
    case catalog(locale: String)
    /// Written by a captioning model or dataset (e.g. Cap3D).
    case dataset(name: String)
    /// Machine-translated from English by `model`.
    case machineTranslated(model: String)
}

/// One caption of an asset in one language.
public struct Caption: Sendable, Codable, Hashable {
    /// Language of `text`.
    public var language: Language
    /// The caption itself.
    public var text: String
    /// Provenance of the text.
    public var origin: CaptionOrigin

    public init(language: Language, text: String, origin: CaptionOrigin) {
        self.language = language
        self.text = text
        self.origin = origin
    }
}
