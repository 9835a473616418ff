import AssetCatalog

/// The language of a text query, detected from its characters.
public enum QueryLanguage: String, Sendable, Codable {
    case en
    case zh
    /// Both Han characters and Latin words.
    case mixed

    /// Detects the language: no Han → `en`; only Han (and digits/punctuation) → `zh`; both → `mixed`.
    public init(detecting text: String) {
        var han = false
        var latin = false
        for scalar in text.unicodeScalars {
            if ChineseText.isHan(scalar) {
                han = true
            } else if scalar.properties.isAlphabetic {
                latin = true
            }
        }
        switch (han, latin) {
        case (true, false): self = .zh
        case (true, true): self = .mixed
        default: self = .en
        }
    }

    /// Caption languages a query in this language should be compared with.
    public var captionLanguages: [Language] {
        switch self {
        case .en: [.en]
        case .zh: [.zh]
        case .mixed: [.zh, .en]
        }
    }
}
