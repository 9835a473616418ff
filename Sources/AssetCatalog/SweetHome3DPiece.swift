import Foundation

/// Turns the `key#N` entries of one piece of furniture into an ``Asset``.
struct SweetHome3DPiece {
    let asset: Asset
    /// Repairs worth reporting (e.g. untranslated Chinese names).
    let notes: [String]

    /// Locales tried, in order, for Chinese text. `zh_CN` first; many of its values are untranslated
    /// English, in which case a real traditional-Chinese `zh_TW` value is used and recorded as such.
    static let chineseLocales = ["zh_CN", "zh_TW"]

    static func make(library: SweetHome3DLibrary, index: Int, filesRoot: URL) -> Result<Self, CatalogError> {
        let props = library.properties
        func value(_ key: String) -> String? {
            guard let raw = props["\(key)#\(index)"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
                return nil
            }
            return raw
        }
        guard let name = value("name") else {
            return .failure(CatalogError(.invalidEntry, "no name#\(index)"))
        }
        guard let modelPath = value("model"), let mesh = relative(modelPath) else {
            return .failure(CatalogError(.invalidEntry, "\"\(name)\" has no usable model#\(index)"))
        }
        var notes: [String] = []
        var asset = Asset(
            id: AssetID("sh3d-\(library.stem)-\(index)"),
            library: "sh3d/\(library.stem)",
            name: name,
            category: value("category"),
            tags: splitTags(value("tags")),
            license: props["license"]?.trimmingCharacters(in: .whitespaces),
            creator: value("creator"),
            files: AssetFiles(root: filesRoot.path, mesh: mesh, icon: value("icon").flatMap(relative))
        )
        asset.setCaption(Caption(language: .en, text: name, origin: .catalog(locale: "en")))
        if let width = value("width").flatMap(Double.init), let depth = value("depth").flatMap(Double.init),
            let height = value("height").flatMap(Double.init)
        {
            asset.dimensions = Dimensions(width: width, depth: depth, height: height)
        }
        for key in ["id", "creationDate", "multiPartModel", "modelRotation", "doorOrWindow", "movable"] {
            if let v = value(key) { asset.extra[key] = v }
        }
        asset.extra["libraryName"] = library.displayName

        if let (original, locale) = chinese("name", index: index, library: library) {
            // Traditional names from zh_TW are shown and searched in simplified form; the original is kept.
            let text = ChineseText.simplified(original)
            asset.nameZH = text
            asset.setCaption(Caption(language: .zh, text: text, origin: .catalog(locale: locale)))
            if text != original { asset.extra["name_\(locale)"] = original }
            if locale != chineseLocales[0] {
                notes.append("zh_CN name is untranslated; using \(locale) \"\(original)\" as \"\(text)\"")
            }
        } else {
            notes.append("no Chinese name (zh_CN untranslated: \"\(name)\")")
        }
        if let (text, _) = chinese("category", index: index, library: library) {
            asset.categoryZH = ChineseText.simplified(ChineseText.strippingSortPrefix(text))
        }
        for locale in chineseLocales {
            let tags = splitTags(library.localized[locale]?["tags#\(index)"]).filter(ChineseText.isChinese)
                .map(ChineseText.simplified)
            if !tags.isEmpty {
                asset.tags += tags
                break
            }
        }
        return .success(Self(asset: asset, notes: notes))
    }

    /// The first real Chinese value of `key#index` among the Chinese locales.
    static func chinese(_ key: String, index: Int, library: SweetHome3DLibrary) -> (String, String)? {
        for locale in chineseLocales {
            if let text = library.localized[locale]?["\(key)#\(index)"]?.trimmingCharacters(in: .whitespaces),
                ChineseText.isChinese(text)
            {
                return (text, locale)
            }
        }
        return nil
    }

    /// Catalog paths are absolute inside the archive (`/scopia/bed1/bed1.obj`); we keep them relative.
    static func relative(_ path: String) -> String? {
        let trimmed = String(path.drop(while: { $0 == "/" }))
        return RelativePath.isSafe(trimmed) ? trimmed : nil
    }

    static func splitTags(_ raw: String?) -> [String] {
        guard let raw else { return [] }
        return raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
