import Foundation

/// Heuristics for telling real Chinese text from untranslated English in localized catalogs.
public enum ChineseText {
    /// True when the scalar is a Han ideograph (CJK Unified Ideographs incl. extensions, compatibility ideographs).
    public static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2A6DF, 0x2A700...0x2EBEF,
            0x30000...0x3134F:
            return true
        default:
            return false
        }
    }

    /// True when `text` contains at least one Han ideograph. Sweet Home 3D's `zh_CN` files leave many
    /// names in English ("Bar chair"); those have none and are treated as untranslated.
    public static func isChinese(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isHan)
    }

    /// Share of Han ideographs among the letters of `text` (0 when there are no letters).
    public static func hanShare(_ text: String) -> Double {
        var han = 0
        var letters = 0
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
            letters += 1
            if isHan(scalar) { han += 1 }
        }
        return letters == 0 ? 0 : Double(han) / Double(letters)
    }

    /// Drops the numeric sort prefix some `zh_TW` catalogs put before category names ("8辦公室" → "辦公室").
    public static func strippingSortPrefix(_ text: String) -> String {
        let stripped = text.drop(while: { $0.isASCII && $0.isNumber })
        return stripped.isEmpty ? text : String(stripped)
    }

    /// Traditional characters folded to simplified ones (ICU's Traditional-Simplified transform, which
    /// Foundation carries): 沙發 → 沙发, 辦公室 → 办公室. Text without Han characters is returned as is.
    public static func simplified(_ text: String) -> String {
        guard isChinese(text) else { return text }
        return text.applyingTransform(StringTransform("Traditional-Simplified"), reverse: false) ?? text
    }
}
