import ArgumentParser
import Encoders
import Foundation

/// `asset3d models pull|list`: the model store under `$ASSET3D_DATA_DIR/models`.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Install and list encoder models (Hugging Face folders).",
        subcommands: [Pull.self, List.self]
    )

    /// The model store: `ASSET3D_MODELS_DIR`, else `<data dir>/models`.
    static func store(_ global: GlobalOptions) async throws -> ModelStore {
        ModelStore(root: Spaces.modelsDirectory(try await global.settings()))
    }

    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a model from the Hugging Face Hub (resumable, checksummed).")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Repository id, e.g. sentence-transformers/all-MiniLM-L6-v2.")
        var repoID: String

        @Option(help: "Branch, tag or commit.")
        var revision = "main"

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let endpoint = environment["HF_ENDPOINT"].flatMap { URL(string: $0) } ?? URL(string: "https://huggingface.co")!
            let hub = HubClient(endpoint: endpoint, token: environment["HF_TOKEN"])
            let folder = try await ModelsCommand.store(global).pull(repoID, revision: revision, hub: hub) { event in
                switch event {
                case .file(let index, let count, let path, let size):
                    let bytes = size.map { " (\(ByteCountFormatter.string(fromByteCount: Int64($0), countStyle: .file)))" } ?? ""
                    FileHandle.standardError.write(Data("[\(index + 1)/\(count)] \(path)\(bytes)\n".utf8))
                case .skipped(let path):
                    FileHandle.standardError.write(Data("already complete: \(path)\n".utf8))
                }
            }
            print("installed \(repoID) in \(folder.path)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show installed models with size and type.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try await ModelsCommand.store(global)
            let models = store.list()
            if models.isEmpty {
                print("no models in \(store.root.path)")
                return
            }
            for model in models {
                let size = ByteCountFormatter.string(fromByteCount: Int64(model.sizeBytes), countStyle: .file)
                let kind = (model.modelType ?? "unknown") + (model.sentenceTransformers ? " (sentence-transformers)" : "")
                print("\(model.id)\t\(size)\t\(kind)")
            }
        }
    }
}
