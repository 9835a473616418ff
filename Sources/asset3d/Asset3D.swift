import ArgumentParser
import Neural
import Server

/// The `asset3d` command line tool.
@main
struct Asset3D: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asset3d",
        abstract: "Find 3D assets by English or Chinese text, or by a picture.",
        version: AppVersion.current,
        subcommands: [
            IngestCommand.self, ServeCommand.self, SearchCommand.self, EvalCommand.self, ConfigCommand.self,
            TranslateCommand.self, StatusCommand.self, DBCommand.self, ModelsCommand.self, EncodeCommand.self, BenchCommand.self,
            RenderCommand.self,
        ]
    )

    static func main() async {
        // Before any thread touches BLAS: OpenBLAS kernels for this CPU, one BLAS thread (we parallelise).
        BLASRuntime.configure()
        LoggingSetup.bootstrap()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
