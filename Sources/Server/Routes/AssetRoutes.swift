import AssetCatalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import VectorStore

/// `GET /assets/{id}`, `/assets/{id}/thumbnail`, `/assets/{id}/model`. Files are resolved through
/// ``AssetFiles/resolve(_:)``, which refuses anything outside the asset's root folder.
struct AssetRoutes {
    let services: ServerServices
    let fileIO = FileIO()

    func register(on router: Router<AppRequestContext>) {
        router.getAndHead("/assets/:id") { _, context in
            let asset = try await asset(context)
            return try jsonResponse(AssetDetailDTO(asset))
        }
        router.getAndHead("/assets/:id/thumbnail") { _, context in
            let asset = try await asset(context)
            let url =
                asset.files.icon.flatMap(asset.files.resolve)
                ?? asset.files.renderedThumbnail.flatMap(asset.files.resolveDerived)
                ?? asset.views.sorted { $0.index < $1.index }.first.flatMap(asset.files.resolve)
            return try await file(url, of: asset, what: "thumbnail", context: context)
        }
        router.getAndHead("/assets/:id/views/:n") { _, context in
            let asset = try await asset(context)
            guard let index = context.parameters.get("n", as: Int.self) else {
                throw APIError.badRequest("view index must be an integer")
            }
            guard let view = asset.views.first(where: { $0.index == index }) else {
                throw APIError.notFound("asset \(asset.id) has no view \(index) (it has \(asset.views.count))")
            }
            return try await file(asset.files.resolve(view), of: asset, what: "view \(index)", context: context)
        }
        router.getAndHead("/assets/:id/model") { _, context in
            // The GLB made for the viewer when there is one, else the catalog's own mesh file.
            let asset = try await asset(context)
            let url = asset.files.glb.flatMap(asset.files.resolveDerived) ?? asset.files.mesh.flatMap(asset.files.resolve)
            return try await file(url, of: asset, what: "model", context: context)
        }
    }

    /// The (percent-encoded) `id` path parameter.
    static func assetID(_ context: AppRequestContext) throws -> AssetID {
        let raw = try context.parameters.require("id")
        guard let decoded = raw.removingPercentEncoding, !decoded.isEmpty else {
            throw APIError.badRequest("malformed asset id")
        }
        return AssetID(decoded)
    }

    /// The asset named by the `id` parameter.
    func asset(_ context: AppRequestContext) async throws -> Asset {
        let id = try Self.assetID(context)
        let decoded = id.rawValue
        let found: Asset?
        do {
            found = try await services.store.asset(id)
        } catch {
            context.logger.error("store failure", metadata: ["error": "\(error)"])
            throw APIError.storeUnavailable
        }
        guard let found else { throw APIError.notFound("no asset with id \"\(decoded.prefix(200))\"") }
        return found
    }

    /// Streams a file already resolved (and confined) by ``AssetFiles``.
    func file(_ url: URL?, of asset: Asset, what: String, context: AppRequestContext) async throws -> Response {
        guard let url else {
            throw APIError.notFound("asset \(asset.id) has no \(what) file")
        }
        let body = try await fileIO.loadFile(path: url.path, context: context)
        let type = Self.mediaType(forExtension: url.pathExtension)
        return Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
            body: body)
    }

    static func mediaType(forExtension ext: String) -> String {
        switch ext.lowercased() {
        case "glb": "model/gltf-binary"
        case "gltf": "model/gltf+json"
        case "obj": "model/obj"
        case "mtl": "model/mtl"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "webp": "image/webp"
        default: "application/octet-stream"
        }
    }
}

/// Encodes a value as a JSON response.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let data = try JSONEncoder().encode(value)
    return Response(
        status: status, headers: [.contentType: "application/json; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

/// Decodes a JSON body (any content type, as the original demo's clients send), with field-level errors.
func decodeJSON<T: Decodable>(_ type: T.Type, from request: Request, context: AppRequestContext) async throws -> T {
    let buffer = try await request.body.collect(upTo: context.maxUploadSize)
    guard buffer.readableBytes > 0 else { throw APIError(.badRequest, code: "invalid_json", "request body is empty") }
    do {
        return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    } catch let error as DecodingError {
        throw APIError(.badRequest, code: "invalid_json", ErrorMiddleware.describe(error))
    }
}
