import Dispatch
import Foundation

/// The image half of a Hugging Face processor, following transformers 4.57.1's slow image processors
/// (`SiglipImageProcessor`, `CLIPImageProcessor`, `ChineseCLIPImageProcessor`) step by step:
/// convert to RGB → resize with Pillow's filter on 8-bit samples → center crop → rescale →
/// normalise, as float32 `[3, H, W]` planes.
///
/// Where transformers would fail or has no answer we choose, and say so:
/// - non-RGB inputs are always brought to RGB (with `alpha`), even when `do_convert_rgb` is absent
///   or false (transformers would pass a grey or RGBA array on and fail at normalisation);
/// - a SigLIP `size` given as `shortest_edge`, or a Chinese-CLIP one, resizes the shorter side
///   (transformers raises a KeyError there).
public struct ImagePreprocessor: Sendable {
    /// Which transformers processor the configuration describes.
    public enum Kind: String, Sendable, CaseIterable {
        /// `SiglipImageProcessor` (SigLIP, fixed-resolution SigLIP 2): resize to `size`, no crop.
        case siglip
        /// `CLIPImageProcessor`: shortest edge (or exact size), then center crop.
        case clip
        /// `ChineseCLIPImageProcessor`: exact `size`, then center crop.
        case chineseCLIP
    }

    /// How the image is resized before cropping.
    public enum Resize: Sendable, Equatable {
        /// To exactly `width × height`.
        case exact(width: Int, height: Int)
        /// The shorter side to `shortestEdge`, the longer to `⌊shortestEdge · long / short⌋`.
        case shortestEdge(Int)
    }

    /// The processor family.
    public let kind: Kind
    /// Resize step (nil: `do_resize` false).
    public let resize: Resize?
    /// Resampling filter for the resize.
    public let filter: ResamplingFilter
    /// Center crop to (width, height) (nil: `do_center_crop` false or not a CLIP-style processor).
    public let crop: (width: Int, height: Int)?
    /// `rescale_factor` (nil: `do_rescale` false).
    public let rescaleFactor: Double?
    /// Per-channel mean and standard deviation (nil: `do_normalize` false).
    public let normalization: (mean: [Double], std: [Double])?
    /// What happens to an alpha channel. transformers 4.57.1's `convert_to_rgb` is Pillow's
    /// `convert("RGB")`, i.e. `.discard`; `.compositeOnWhite` is offered for transparent renders.
    public let alpha: Image.AlphaHandling

    /// Builds the pipeline a configuration describes, with transformers' defaults for absent keys.
    public init(config: PreprocessorConfig, alpha: Image.AlphaHandling = .discard) throws {
        let kind = try Self.kind(of: config)
        self.kind = kind
        self.alpha = alpha
        let clipMean = [0.48145466, 0.4578275, 0.40821073]
        let clipStd = [0.26862954, 0.26130258, 0.27577711]

        switch kind {
        case .siglip:
            filter = config.resample ?? .bicubic
            crop = nil
            let mean = config.imageMean?.perChannel(3) ?? [0.5, 0.5, 0.5]
            let std = config.imageStd?.perChannel(3) ?? [0.5, 0.5, 0.5]
            normalization = config.doNormalize ?? true ? (mean, std) : nil
        case .clip, .chineseCLIP:
            filter = config.resample ?? .bicubic
            if config.doCenterCrop ?? true {
                let size = (config.cropSize ?? SizeSpec(height: 224, width: 224)).resolved(defaultToSquare: true)
                guard let width = size.width, let height = size.height, width > 0, height > 0 else {
                    throw ImageCodecError.invalidConfiguration("crop_size needs a positive height and width")
                }
                crop = (width, height)
            } else {
                crop = nil
            }
            let mean = config.imageMean?.perChannel(3) ?? clipMean
            let std = config.imageStd?.perChannel(3) ?? clipStd
            normalization = config.doNormalize ?? true ? (mean, std) : nil
        }
        if let normalization {
            guard normalization.mean.count == 3, normalization.std.count == 3,
                normalization.std.allSatisfy({ $0 != 0 })
            else {
                throw ImageCodecError.invalidConfiguration("image_mean and image_std need 3 values, std non-zero")
            }
        }
        rescaleFactor = config.doRescale ?? true ? (config.rescaleFactor ?? 1.0 / 255.0) : nil

        if config.doResize ?? true {
            let defaultSize = kind == .siglip ? SizeSpec(height: 224, width: 224) : SizeSpec(shortestEdge: 224)
            let size = (config.size ?? defaultSize).resolved(defaultToSquare: false)
            if let height = size.height, let width = size.width, kind != .clip || size.shortestEdge == nil {
                guard width > 0, height > 0 else {
                    throw ImageCodecError.invalidConfiguration("size \(height)×\(width) is not positive")
                }
                resize = .exact(width: width, height: height)
            } else if let edge = size.shortestEdge {
                guard edge > 0 else { throw ImageCodecError.invalidConfiguration("shortest_edge must be positive") }
                resize = .shortestEdge(edge)
            } else {
                throw ImageCodecError.invalidConfiguration("size needs height and width, or shortest_edge")
            }
        } else {
            resize = nil
        }
    }

    /// Reads `preprocessor_config.json` from a model folder (or the file itself).
    public init(contentsOf url: URL, alpha: Image.AlphaHandling = .discard) throws {
        try self.init(config: PreprocessorConfig(contentsOf: url), alpha: alpha)
    }

    /// The processor family a configuration names.
    public static func kind(of config: PreprocessorConfig) throws -> Kind {
        let names = [config.imageProcessorType, config.featureExtractorType, config.processorClass].compactMap { $0 }
        for name in names {
            let base = name.replacingOccurrences(of: "Fast", with: "")
            switch base {
            case "SiglipImageProcessor", "SiglipProcessor": return .siglip
            case "CLIPImageProcessor", "CLIPFeatureExtractor", "CLIPProcessor": return .clip
            case "ChineseCLIPImageProcessor", "ChineseCLIPFeatureExtractor", "ChineseCLIPProcessor": return .chineseCLIP
            case "Siglip2ImageProcessor", "Siglip2Processor":
                throw ImageCodecError.invalidConfiguration(
                    "Siglip2ImageProcessor (NaFlex, variable resolution) is not supported; "
                        + "fixed-resolution SigLIP 2 checkpoints use SiglipImageProcessor")
            default: continue
            }
        }
        let named = names.isEmpty ? "none given" : names.joined(separator: ", ")
        throw ImageCodecError.invalidConfiguration("unsupported image processor (\(named))")
    }

    /// The (width, height) of every output, when it does not depend on the input's aspect ratio.
    public var outputSize: (width: Int, height: Int)? {
        if let crop { return crop }
        if case .exact(let width, let height) = resize { return (width, height) }
        return nil
    }

    /// The preprocessed image as float32 planes `[3, H, W]`.
    public func preprocess(_ image: Image) throws -> FloatImage {
        guard image.width > 0, image.height > 0 else {
            throw ImageCodecError.invalidArgument("cannot preprocess an empty \(image.width)×\(image.height) image")
        }
        var rgb = image.convertedToRGB(alpha: alpha)
        switch resize {
        case .exact(let width, let height):
            rgb = try rgb.resized(width: width, height: height, filter: filter)
        case .shortestEdge(let edge):
            let (width, height) = Self.shortestEdgeSize(width: rgb.width, height: rgb.height, edge: edge)
            rgb = try rgb.resized(width: width, height: height, filter: filter)
        case nil:
            break
        }
        if let crop { rgb = try rgb.centerCropped(width: crop.width, height: crop.height) }
        return try rgb.planar(rescaleFactor: rescaleFactor, mean: normalization?.mean, std: normalization?.std)
    }

    /// `pixel_values` of one image: `[3 · H · W]` float32, channel-major.
    public func pixelValues(for image: Image) throws -> [Float] {
        try preprocess(image).values
    }

    /// Preprocesses a batch in parallel across the machine's cores; results keep the input order.
    public func preprocess(_ images: [Image]) throws -> [FloatImage] {
        let results = ParallelResults<FloatImage>(count: images.count)
        DispatchQueue.concurrentPerform(iterations: images.count) { index in
            results.set(index, Result { try preprocess(images[index]) })
        }
        return try results.values()
    }

    /// `pixel_values` of a batch: `[B · 3 · H · W]` float32 (batch-major, then channel-major),
    /// preprocessed in parallel. Throws when the outputs differ in size (shortest-edge resizing
    /// without a crop keeps each image's aspect ratio).
    public func pixelValues(for images: [Image]) throws -> [Float] {
        let planes = try preprocess(images)
        guard let first = planes.first else { return [] }
        guard planes.allSatisfy({ $0.width == first.width && $0.height == first.height }) else {
            throw ImageCodecError.invalidArgument("the preprocessed images differ in size and cannot be stacked")
        }
        var stacked = [Float]()
        stacked.reserveCapacity(first.values.count * planes.count)
        for plane in planes { stacked.append(contentsOf: plane.values) }
        return stacked
    }

    /// transformers' `get_resize_output_image_size(default_to_square=False)`: the short side
    /// becomes `edge`, the long side `int(edge * long / short)` (true division, truncated).
    static func shortestEdgeSize(width: Int, height: Int, edge: Int) -> (width: Int, height: Int) {
        let (short, long) = width <= height ? (width, height) : (height, width)
        let newLong = Int(Double(edge * long) / Double(short))
        return width <= height ? (edge, newLong) : (newLong, edge)
    }
}

/// Slots written once each from `concurrentPerform` workers, read after all have finished.
private final class ParallelResults<Value: Sendable>: @unchecked Sendable {
    private var slots: [Result<Value, any Error>?]
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ result: Result<Value, any Error>) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    func values() throws -> [Value] {
        lock.lock()
        defer { lock.unlock() }
        return try slots.map { slot in
            guard let slot else { throw ImageCodecError.invalidArgument("a batch slot was not filled") }
            return try slot.get()
        }
    }
}
