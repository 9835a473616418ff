import ArgumentParser
import Foundation
import Settings

/// `asset3d config`: the effective configuration, secrets redacted, with the source of every value.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Print the effective configuration and where each value came from.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let settings = try await global.settings()
        let report = settings.report()
        if json {
            let rows = report.map {
                ["name": $0.key.environmentName, "value": $0.shown, "source": $0.source.description]
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let nameWidth = report.map(\.key.environmentName.count).max() ?? 0
        let valueWidth = min(report.map(\.shown.count).max() ?? 0, 60)
        for row in report {
            let name = row.key.environmentName.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let value = row.shown.padding(toLength: max(valueWidth, row.shown.count), withPad: " ", startingAt: 0)
            print("\(name)  \(value)  [\(row.source)]")
        }
    }
}
