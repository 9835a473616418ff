import ArgumentParser
import Foundation
import Logging
import Settings

/// Options every command accepts; they are the "flags" layer of the configuration.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (ASSET3D_DATA_DIR, default ./data).")
    var dataDir: String?

    @Option(name: .customLong("config"), help: "JSON config file (ASSET3D_CONFIG, default ./asset3d.json if present).")
    var configFile: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (LOG_LEVEL).")
    var logLevel: String?

    /// Flag values by setting; commands add their own before resolving.
    func flags() -> [SettingKey: String] {
        var flags: [SettingKey: String] = [:]
        if let dataDir { flags[.dataDir] = dataDir }
        if let logLevel { flags[.logLevel] = logLevel }
        return flags
    }

    /// Resolves the configuration with these flags plus `extra` (command-specific flags).
    func settings(_ extra: [SettingKey: String] = [:]) async throws -> Settings {
        try await Settings(flags: flags().merging(extra) { _, new in new }, configFile: configFile)
    }
}

extension Settings {
    /// The data directory as an absolute URL.
    var dataDirectory: URL {
        URL(fileURLWithPath: string(.dataDir) ?? "./data").standardizedFileURL
    }

    /// A logger writing to stderr at the configured level.
    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: string(.logLevel) ?? "info") ?? .info
        return logger
    }
}

/// Bootstraps swift-log once: plain lines to stderr, so stdout stays machine-readable.
enum LoggingSetup {
    static func bootstrap() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
    }
}

/// A failure the CLI reports as one clear line and exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
