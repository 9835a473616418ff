import Foundation
import HTTPTypes
import Hummingbird
import ImageCodec
import MultipartKit
import NIOCore

/// An uploaded query image: multipart field `file` (the original demo's form) or a raw `image/*` body.
/// The body is capped by the context's upload limit, the format is sniffed from the bytes (not the
/// name or declared type), and the pixel count is checked from the header before decoding.
enum UploadedImage {
    /// Largest decoded image accepted (a 40-megapixel photo; PNG bombs claim far more).
    static let maxPixels = 40_000_000

    static func decode(from request: Request, context: AppRequestContext) async throws -> Image {
        let contentType = request.headers[.contentType] ?? ""
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let bytes: [UInt8]
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            guard let boundary = boundary(of: contentType) else {
                throw APIError(.badRequest, code: "invalid_request", "multipart body without a boundary")
            }
            bytes = try filePart(body, boundary: boundary)
        } else if contentType.lowercased().hasPrefix("image/") || contentType.lowercased().hasPrefix("application/octet-stream") {
            bytes = Array(body.readableBytesView)
        } else {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_media_type",
                "send the image as multipart/form-data with a field named \"file\" (or as a raw image/* body)")
        }
        guard !bytes.isEmpty else { throw APIError(.badRequest, code: "invalid_request", "the uploaded file is empty") }
        do {
            return try ImageDecoder.decode(Data(bytes), limits: DecodeLimits(maxPixels: maxPixels))
        } catch let error as ImageCodecError {
            throw apiError(error)
        }
    }

    static func boundary(of contentType: String) -> String? {
        for part in contentType.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            if pair.lowercased().hasPrefix("boundary=") {
                let value = pair.dropFirst("boundary=".count)
                return String(value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? value.dropFirst().dropLast() : value)
            }
        }
        return nil
    }

    /// The bytes of the part named `file` (or the only part, when unnamed).
    static func filePart(_ body: ByteBuffer, boundary: String) throws -> [UInt8] {
        final class Collector {
            var parts: [(name: String?, bytes: [UInt8])] = []
            var name: String?
            var bytes: [UInt8] = []
        }
        let collector = Collector()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { field, value in
            if field.lowercased() == "content-disposition" { collector.name = dispositionName(value) }
        }
        parser.onBody = { buffer in collector.bytes += buffer.readableBytesView }
        parser.onPartComplete = {
            collector.parts.append((collector.name, collector.bytes))
            collector.name = nil
            collector.bytes = []
        }
        do {
            try parser.execute(body)
        } catch {
            throw APIError(.badRequest, code: "invalid_request", "malformed multipart body")
        }
        if let file = collector.parts.first(where: { $0.name == "file" }) { return file.bytes }
        if collector.parts.count == 1 { return collector.parts[0].bytes }
        throw APIError(.badRequest, code: "invalid_request", "no multipart field named \"file\"")
    }

    static func dispositionName(_ value: String) -> String? {
        for item in value.split(separator: ";") {
            let pair = item.trimmingCharacters(in: .whitespaces)
            if pair.hasPrefix("name=") {
                return String(pair.dropFirst(5)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// Decoder failures as API errors: too big → 413, not an image → 415, broken → 400.
    static func apiError(_ error: ImageCodecError) -> APIError {
        switch error {
        case .tooLarge:
            return APIError(.contentTooLarge, code: "payload_too_large", "\(error)")
        case .unrecognizedFormat:
            return APIError(
                .unsupportedMediaType, code: "unsupported_media_type",
                "the file is not a JPEG, PNG or WebP image")
        default:
            return APIError(.badRequest, code: "invalid_image", "\(error)")
        }
    }
}
