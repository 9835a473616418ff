/// The JPEG header segments we read ourselves (libjpeg-turbo's TurboJPEG API does not expose them):
/// EXIF (APP1 "Exif\0\0"), XMP (APP1 with Adobe's namespace) and whether the data ends inside the
/// header, which tells a truncated file from a damaged one.
struct JPEGMarkers {
    /// The TIFF structure of the first EXIF segment (without the "Exif\0\0" prefix).
    var exif: [UInt8]?
    /// The packet of the first XMP segment.
    var xmp: [UInt8]?
    /// True when a segment's declared length runs past the end of the data, or the data ends
    /// before the first scan starts.
    var endsInHeader = false

    private static let exifPrefix: [UInt8] = Array("Exif".utf8) + [0, 0]
    private static let xmpPrefix: [UInt8] = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0]

    /// Scans the markers from SOI up to the first SOS.
    init(_ bytes: UnsafeRawBufferPointer) {
        var offset = 2  // after SOI
        while true {
            // Skip fill bytes: markers are 0xFF followed by a non-0xFF code.
            while offset < bytes.count, bytes[offset] != 0xFF { offset += 1 }
            while offset < bytes.count, bytes[offset] == 0xFF { offset += 1 }
            guard offset < bytes.count else {
                endsInHeader = true
                return
            }
            let marker = bytes[offset]
            offset += 1
            // Standalone markers carry no length.
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { continue }
            if marker == 0xD9 { return }
            guard offset + 2 <= bytes.count else {
                endsInHeader = true
                return
            }
            let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            guard length >= 2 else { return }  // damaged; let libjpeg report it
            let payloadStart = offset + 2
            let payloadEnd = offset + length
            guard payloadEnd <= bytes.count else {
                endsInHeader = true
                return
            }
            if marker == 0xDA { return }  // start of scan: the header is complete
            if marker == 0xE1 {
                let payload = UnsafeRawBufferPointer(rebasing: bytes[payloadStart..<payloadEnd])
                if exif == nil, payload.starts(with: Self.exifPrefix) {
                    exif = Array(payload.dropFirst(Self.exifPrefix.count))
                } else if xmp == nil, payload.starts(with: Self.xmpPrefix) {
                    xmp = Array(payload.dropFirst(Self.xmpPrefix.count))
                }
            }
            offset = payloadEnd
        }
    }
}
