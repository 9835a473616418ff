/// One `newmtl` block of a material library, before its textures are loaded.
struct MTLMaterial: Equatable {
    var name: String
    /// `Kd`, display colour.
    var diffuse = SIMD3<Float>(0.8, 0.8, 0.8)
    /// Whether `Kd` was given.
    var hasDiffuse = false
    /// `d` (or 1 − `Tr`).
    var opacity: Float = 1
    /// `map_Kd` path as written (options removed).
    var diffuseMap: String?
    /// `map_d` path as written.
    var alphaMap: String?
    /// Other maps present (bump, specular…), reported as ignored.
    var ignoredMaps: [String] = []
}

/// Parses MTL text into materials. Unknown statements are skipped; numbers that do not parse
/// keep the default, since a broken material should not lose the asset.
enum MTLParser {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> [MTLMaterial] {
        var materials: [MTLMaterial] = []
        var scanner = ByteScanner(bytes)
        while !scanner.isAtEnd {
            let keyword = scanner.readToken()
            guard !keyword.isEmpty else {
                scanner.nextLine()
                continue
            }
            let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[keyword]), as: UTF8.self)
            if word == "newmtl" {
                materials.append(MTLMaterial(name: scanner.readRestOfLine()))
            } else if !materials.isEmpty {
                apply(word, &materials[materials.count - 1], &scanner)
            }
            scanner.nextLine()
        }
        return materials
    }

    private static func apply(_ word: String, _ material: inout MTLMaterial, _ scanner: inout ByteScanner) {
        switch word.lowercased() {
        case "kd":
            if let r = scanner.readFloat() {
                let g = scanner.readFloat() ?? r, b = scanner.readFloat() ?? r
                material.diffuse = SIMD3(r, g, b).clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 1))
                material.hasDiffuse = true
            }
        case "d":
            if let d = scanner.readFloat(), d.isFinite { material.opacity = min(1, max(0, d)) }
        case "tr":
            if let tr = scanner.readFloat(), tr.isFinite { material.opacity = min(1, max(0, 1 - tr)) }
        case "map_kd":
            material.diffuseMap = mapPath(scanner.readRestOfLine(keepComments: true))
        case "map_d":
            material.alphaMap = mapPath(scanner.readRestOfLine(keepComments: true))
        case "map_bump", "bump", "map_ks", "map_ka", "map_ns", "map_ke", "map_disp", "disp", "map_refl", "refl",
            "decal", "norm", "map_pr", "map_pm":
            material.ignoredMaps.append(word)
        default:
            break
        }
    }

    /// Strips map options (`-s 1 1 1`, `-clamp on`, `-bm 0.5`…) and returns the file name.
    static func mapPath(_ rest: String) -> String? {
        // Number of arguments each option takes.
        let optionArity: [String: Int] = [
            "-blendu": 1, "-blendv": 1, "-boost": 1, "-mm": 2, "-o": 3, "-s": 3, "-t": 3, "-texres": 1,
            "-clamp": 1, "-bm": 1, "-imfchan": 1, "-type": 1, "-cc": 1,
        ]
        var remaining = Substring(rest)
        while remaining.hasPrefix("-") {
            let parts = remaining.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2, let arity = optionArity[String(parts[0]).lowercased()] else { break }
            var tail = parts[1].drop(while: { $0 == " " })
            var taken = 0
            // Take up to `arity` arguments, stopping early at something that is not a number or on/off.
            while taken < arity {
                let next = tail.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
                guard next.count == 2, Float(next[0]) != nil || next[0] == "on" || next[0] == "off" else { break }
                tail = next[1].drop(while: { $0 == " " })
                taken += 1
            }
            remaining = tail
        }
        let path = remaining.trimmingSpaces()
        return path.isEmpty ? nil : path
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
