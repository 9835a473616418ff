import ArgumentParser
import Encoders
import Foundation
import ImageCodec

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
        let type = try? EncoderRegistry.modelType(folder: folder)
        if let type, EncoderRegistry.supportedMultimodalModelTypes.contains(type) {
            let encoder = try EncoderRegistry.loadMultimodalEncoder(folder: folder, modelID: model)
            if let image {
                let decoded = try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: image))
                print(Self.json(try encoder.embedImages([decoded])[0]))
            } else {
                print(Self.json(try encoder.embedText([text ?? ""])[0]))
            }
            return
        }
        if image != nil {
            throw ValidationError("""
                \(model) (model_type '\(type ?? "unknown")') has no image encoder; image models: \
                \(EncoderRegistry.supportedMultimodalModelTypes.joined(separator: ", "))
                """)
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
