import ArgumentParser
import Encoders
import Foundation

/// `asset3d encode --model DIR|ID (--text T | --image PATH)`: one normalised embedding as JSON, to
/// check numerics against other implementations.
struct EncodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Print the normalised embedding of a text or an image as {\"embedding\":[...],\"dim\":N}.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Model folder, or the id of an installed model.")
    var model: String

    @Option(help: "Text to embed.")
    var text: String?

    @Option(help: "Image file to embed.")
    var image: String?

    func validate() throws {
        guard (text == nil) != (image == nil) else { throw ValidationError("give exactly one of --text or --image") }
    }

    func run() async throws {
        let folder = try await ModelsCommand.store(global).resolve(model)
        if image != nil {
            let type = (try? EncoderRegistry.modelType(folder: folder)) ?? "unknown"
            throw ValidationError("\(model) (model_type '\(type)') has no image encoder; image models: none yet in this build")
        }
        let encoder = try EncoderRegistry.loadTextEncoder(folder: folder, modelID: model)
        let vector = try encoder.embedText([text ?? ""])[0]
        print(Self.json(vector))
    }

    /// `{"embedding":[…],"dim":N}` with every float in its shortest exact form.
    static func json(_ vector: [Float]) -> String {
        "{\"embedding\":[" + vector.map { "\($0)" }.joined(separator: ",") + "],\"dim\":\(vector.count)}"
    }
}
