import Configuration
import Foundation

/// The effective configuration: defaults < config file (JSON) < environment < command-line flags,
/// read through swift-configuration's `ConfigReader`. Each value remembers where it came from.
public struct Settings: Sendable {
    /// Where a value came from.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        case flag
        case environment(String)
        case configFile(String)
        case defaultValue
        case unset

        public var description: String {
            switch self {
            case .flag: "flag"
            case .environment(let name): "environment \(name)"
            case .configFile(let path): "config file \(path)"
            case .defaultValue: "default"
            case .unset: "unset"
            }
        }
    }

    /// The reader over every layer, for libraries that take a `ConfigReader`.
    public let reader: ConfigReader
    private let layers: [(source: Source, provider: any ConfigProvider)]

    /// Builds the layers. `flags` are the command-line values by setting key (`asset3d_port` → "9000").
    /// The config file is `configFile`, else `$ASSET3D_CONFIG`, else `./asset3d.json` when it exists.
    public init(
        flags: [SettingKey: String] = [:], environment: [String: String] = ProcessInfo.processInfo.environment,
        configFile: String? = nil
    ) async throws(SettingsError) {
        var layers: [(Source, any ConfigProvider)] = []
        let flagValues = Dictionary(
            uniqueKeysWithValues: flags.map { (AbsoluteConfigKey([$0.key.name]), ConfigValue(.string($0.value), isSecret: $0.key.isSecret)) })
        layers.append((.flag, InMemoryProvider(name: "flags", values: flagValues)))
        let secretNames = Set(SettingKey.all.filter(\.isSecret).map(\.environmentName))
        layers.append(
            (.environment(""),
             EnvironmentVariablesProvider(
                environmentVariables: environment,
                secretsSpecifier: .dynamic { name, _ in secretNames.contains(name) })))
        let explicitFile = configFile ?? environment["ASSET3D_CONFIG"]
        let path = explicitFile ?? "asset3d.json"
        if explicitFile != nil || FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.fileExists(atPath: path) else {
                throw SettingsError("config file \(path) does not exist")
            }
            do {
                let location = InMemoryProvider(values: ["filePath": ConfigValue(.string(path), isSecret: false)])
                let file = try await FileProvider<JSONSnapshot>(config: ConfigReader(provider: location))
                layers.append((.configFile(path), file))
            } catch {
                throw SettingsError("cannot read config file \(path): \(error)")
            }
        }
        let defaults = Dictionary(
            uniqueKeysWithValues: SettingKey.all.compactMap { key in
                key.defaultValue.map { (AbsoluteConfigKey([key.name]), ConfigValue(.string($0), isSecret: false)) }
            })
        layers.append((.defaultValue, InMemoryProvider(name: "defaults", values: defaults)))
        self.layers = layers
        self.reader = ConfigReader(providers: layers.map(\.1))
        try validate()
    }

    /// The value of `key` as text and its source.
    public func lookup(_ key: SettingKey) -> (value: String?, source: Source) {
        // JSON files may hold numbers where the environment holds text: ask for both.
        let types: [ConfigType] = key.kind == .int ? [.string, .int] : [.string]
        for (source, provider) in layers {
            for type in types {
                if let value = try? provider.value(forKey: AbsoluteConfigKey([key.name]), type: type).value {
                    return (Self.text(of: value.content), resolved(source, key))
                }
            }
        }
        return (nil, .unset)
    }

    private func resolved(_ source: Source, _ key: SettingKey) -> Source {
        if case .environment = source { return .environment(key.environmentName) }
        return source
    }

    private static func text(of content: ConfigContent) -> String {
        switch content {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): String(b)
        default: "\(content)"
        }
    }

    /// The text value of `key` (nil when unset or empty).
    public func string(_ key: SettingKey) -> String? {
        guard let value = lookup(key).value, !value.isEmpty else { return nil }
        return value
    }

    /// The integer value of `key`; `validate()` has already rejected non-integers.
    public func int(_ key: SettingKey) -> Int? { string(key).flatMap { Int($0) } }

    /// Rejects malformed values with a message that names the setting and where it came from.
    func validate() throws(SettingsError) {
        for key in SettingKey.all {
            let (value, source) = lookup(key)
            guard let value, !value.isEmpty else { continue }
            switch key.kind {
            case .int:
                guard Int(value) != nil else {
                    throw SettingsError("\(key.environmentName) must be an integer (got \"\(value)\" from \(source))")
                }
            case .url:
                guard let url = URL(string: value), url.scheme != nil, url.host != nil else {
                    let shown = key.isSecret ? "a value" : "\"\(value)\""
                    throw SettingsError("\(key.environmentName) must be a URL (got \(shown) from \(source))")
                }
            case .string:
                break
            }
        }
    }

    /// Every setting with its shown value (secrets redacted) and source, for `asset3d config`.
    public func report() -> [(key: SettingKey, shown: String, source: Source)] {
        SettingKey.all.map { key in
            let (value, source) = lookup(key)
            return (key, Self.redacted(value, secret: key.isSecret), source)
        }
    }

    /// `***` for secrets; URLs keep everything but the password.
    public static func redacted(_ value: String?, secret: Bool) -> String {
        guard let value, !value.isEmpty else { return "(unset)" }
        guard secret else { return value }
        if var components = URLComponents(string: value), components.scheme != nil, components.host != nil {
            if components.password != nil { components.password = "***" }
            return components.string ?? "***"
        }
        return "***"
    }
}

/// A configuration value the program cannot use.
public struct SettingsError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
