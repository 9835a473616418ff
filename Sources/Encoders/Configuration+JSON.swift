import Foundation

/// Decodes a JSON file into `T`, with errors naming the file.
func readJSON<T: Decodable>(_ url: URL, as type: T.Type = T.self) throws -> T {
    guard FileManager.default.fileExists(atPath: url.path) else {
        throw EncoderError.missingFile(folder: url.deletingLastPathComponent().path, file: url.lastPathComponent)
    }
    do {
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    } catch let error as DecodingError {
        throw EncoderError.invalidConfiguration(file: url.path, reason: describe(error))
    } catch {
        throw EncoderError.invalidConfiguration(file: url.path, reason: "unreadable")
    }
}

private func describe(_ error: DecodingError) -> String {
    switch error {
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
         .dataCorrupted(let context):
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
    @unknown default:
        return "invalid JSON"
    }
}
