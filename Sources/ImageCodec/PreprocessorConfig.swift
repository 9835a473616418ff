import Foundation

/// Hugging Face's `preprocessor_config.json` for the image processors we follow (SigLIP, CLIP,
/// Chinese-CLIP). Keys map one to one; absent keys stay nil and take the processor's defaults
/// when an `ImagePreprocessor` is built. Unknown keys are ignored.
public struct PreprocessorConfig: Codable, Sendable, Equatable {
    /// `image_processor_type`, e.g. "SiglipImageProcessor", "CLIPImageProcessor".
    public var imageProcessorType: String?
    /// `feature_extractor_type` of older configs, e.g. "CLIPFeatureExtractor".
    public var featureExtractorType: String?
    /// `processor_class`, e.g. "SiglipProcessor" (used when the two keys above are missing).
    public var processorClass: String?
    /// `do_resize`.
    public var doResize: Bool?
    /// `size`: `{"height","width"}`, `{"shortest_edge"}`, a number or `[height, width]`.
    public var size: SizeSpec?
    /// `resample`: Pillow's filter number.
    public var resample: ResamplingFilter?
    /// `do_center_crop`.
    public var doCenterCrop: Bool?
    /// `crop_size`, same forms as `size`.
    public var cropSize: SizeSpec?
    /// `do_rescale`.
    public var doRescale: Bool?
    /// `rescale_factor`.
    public var rescaleFactor: Double?
    /// `do_normalize`.
    public var doNormalize: Bool?
    /// `image_mean` (a list, or one number for every channel).
    public var imageMean: FloatList?
    /// `image_std` (a list, or one number for every channel).
    public var imageStd: FloatList?
    /// `do_convert_rgb`.
    public var doConvertRGB: Bool?

    enum CodingKeys: String, CodingKey {
        case imageProcessorType = "image_processor_type"
        case featureExtractorType = "feature_extractor_type"
        case processorClass = "processor_class"
        case doResize = "do_resize"
        case size
        case resample
        case doCenterCrop = "do_center_crop"
        case cropSize = "crop_size"
        case doRescale = "do_rescale"
        case rescaleFactor = "rescale_factor"
        case doNormalize = "do_normalize"
        case imageMean = "image_mean"
        case imageStd = "image_std"
        case doConvertRGB = "do_convert_rgb"
    }

    /// A configuration with every key absent (all defaults of the processor).
    public init(imageProcessorType: String? = nil) {
        self.imageProcessorType = imageProcessorType
    }

    /// Decodes a `preprocessor_config.json` file's contents.
    public init(json data: Data) throws {
        do {
            self = try JSONDecoder().decode(PreprocessorConfig.self, from: data)
        } catch {
            throw ImageCodecError.invalidConfiguration("preprocessor_config.json could not be parsed: \(error)")
        }
    }

    /// Reads `preprocessor_config.json` (a file, or a model folder that contains one).
    public init(contentsOf url: URL) throws {
        var file = url
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            file = url.appendingPathComponent("preprocessor_config.json")
        }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw ImageCodecError.unreadableFile(path: file.path, detail: "the file could not be opened or read")
        }
        try self.init(json: data)
    }
}

/// A `size`/`crop_size` value in any of the forms transformers accepts.
public struct SizeSpec: Codable, Sendable, Equatable {
    /// `height` (also the first element of a `[height, width]` list).
    public var height: Int?
    /// `width`.
    public var width: Int?
    /// `shortest_edge`.
    public var shortestEdge: Int?
    /// `longest_edge` (read, but not used by the processors we follow).
    public var longestEdge: Int?
    /// A bare number; its meaning depends on the key (see `resolved(defaultToSquare:)`).
    public var scalar: Int?

    enum CodingKeys: String, CodingKey {
        case height, width
        case shortestEdge = "shortest_edge"
        case longestEdge = "longest_edge"
    }

    /// A fixed `height × width`.
    public init(height: Int, width: Int) {
        self.height = height
        self.width = width
    }

    /// Resize the shorter side to `shortestEdge`, keeping the aspect ratio.
    public init(shortestEdge: Int) {
        self.shortestEdge = shortestEdge
    }

    /// Reads a number, a `[height, width]` list or a dictionary.
    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer() {
            if let number = try? single.decode(Int.self) {
                scalar = number
                return
            }
            if let list = try? single.decode([Int].self) {
                switch list.count {
                case 1: scalar = list[0]
                case 2: (height, width) = (list[0], list[1])
                default:
                    throw DecodingError.dataCorruptedError(
                        in: single, debugDescription: "a size list has 1 or 2 elements")
                }
                return
            }
        }
        let keyed = try decoder.container(keyedBy: CodingKeys.self)
        height = try keyed.decodeIfPresent(Int.self, forKey: .height)
        width = try keyed.decodeIfPresent(Int.self, forKey: .width)
        shortestEdge = try keyed.decodeIfPresent(Int.self, forKey: .shortestEdge)
        longestEdge = try keyed.decodeIfPresent(Int.self, forKey: .longestEdge)
    }

    /// Writes the form that was read (a bare number stays a number).
    public func encode(to encoder: any Encoder) throws {
        if let scalar {
            var single = encoder.singleValueContainer()
            try single.encode(scalar)
            return
        }
        var keyed = encoder.container(keyedBy: CodingKeys.self)
        try keyed.encodeIfPresent(height, forKey: .height)
        try keyed.encodeIfPresent(width, forKey: .width)
        try keyed.encodeIfPresent(shortestEdge, forKey: .shortestEdge)
        try keyed.encodeIfPresent(longestEdge, forKey: .longestEdge)
    }

    /// transformers' `get_size_dict`: a bare number means a square when `defaultToSquare`,
    /// otherwise a shortest edge.
    public func resolved(defaultToSquare: Bool) -> SizeSpec {
        guard let scalar else { return self }
        return defaultToSquare ? SizeSpec(height: scalar, width: scalar) : SizeSpec(shortestEdge: scalar)
    }
}

/// A list of numbers that may be written as a single number (meaning: the same for every channel).
public struct FloatList: Codable, Sendable, Equatable {
    /// The values as written.
    public var values: [Double]

    /// Wraps `values`.
    public init(_ values: [Double]) {
        self.values = values
    }

    /// Reads a number or a list of numbers.
    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let number = try? single.decode(Double.self) {
            values = [number]
        } else {
            values = try single.decode([Double].self)
        }
    }

    /// Writes the list.
    public func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        try single.encode(values)
    }

    /// One value per channel: a single number is repeated.
    func perChannel(_ channels: Int) -> [Double] {
        values.count == 1 ? Array(repeating: values[0], count: channels) : values
    }
}
