import Foundation

extension ModelStore {
    /// Progress of a pull, for display.
    public enum PullEvent: Sendable {
        /// Starting a file (index from 0, count, its path and size).
        case file(index: Int, count: Int, path: String, size: Int?)
        /// A file was already complete.
        case skipped(path: String)
    }

    /// Downloads repository `repo` at `revision` from the Hub into `folder(for: repo)`.
    ///
    /// Files are downloaded into `<root>/.partial/<repo>/`, resumed from where an interrupted pull
    /// stopped, checked against the sizes and checksums the Hub announces, and the folder is moved
    /// into place only when every file is complete. Offline, the first request fails at once with a
    /// message naming the folder to copy the model into instead.
    @discardableResult
    public func pull(_ repo: String, revision: String = "main", hub: HubClient = HubClient(),
                     progress: @Sendable (PullEvent) -> Void = { _ in }) async throws -> URL {
        guard Self.isValidID(repo), !revision.isEmpty, !revision.contains("..") else {
            throw EncoderError.download(reason: "'\(repo)' is not a repository id like org/name", hint: "")
        }
        let target = folder(for: repo)
        let listing: (commit: String, files: [HubClient.RemoteFile])
        do {
            listing = try await hub.listFiles(repo: repo, revision: revision)
        } catch EncoderError.download(let reason, let hint) {
            throw EncoderError.download(reason: reason, hint: hint.isEmpty ? copyHint(repo, target) : hint)
        }
        let files = listing.files.filter { Self.isWanted($0.path) }
        guard files.contains(where: { $0.path == "config.json" }) else {
            throw EncoderError.download(reason: "\(repo)@\(revision) has no config.json", hint: "")
        }
        let staging = root.appendingPathComponent(".partial").appendingPathComponent(repo)
        let manager = FileManager.default
        for (index, file) in files.enumerated() {
            let final = staging.appendingPathComponent(file.path)
            try manager.createDirectory(at: final.deletingLastPathComponent(), withIntermediateDirectories: true)
            if manager.fileExists(atPath: final.path), (try? Self.verify(final, against: file)) != nil {
                progress(.skipped(path: file.path))
                continue
            }
            progress(.file(index: index, count: files.count, path: file.path, size: file.size))
            let part = final.appendingPathExtension("part")
            do {
                try await hub.download(repo: repo, commit: listing.commit, file: file, to: part)
            } catch EncoderError.download(let reason, let hint) {
                throw EncoderError.download(reason: reason, hint: hint.isEmpty ? "Run the same pull again to resume." : hint)
            }
            do {
                try Self.verify(part, against: file)
            } catch {
                try? manager.removeItem(at: part)  // a corrupt file is not worth resuming
                throw error
            }
            if manager.fileExists(atPath: final.path) { try manager.removeItem(at: final) }
            try manager.moveItem(at: part, to: final)
        }
        let record = ["repo": repo, "revision": revision, "commit": listing.commit]
        try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .prettyPrinted])
            .write(to: staging.appendingPathComponent(".asset3d-source.json"))
        try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        if manager.fileExists(atPath: target.path) { try manager.removeItem(at: target) }
        try manager.moveItem(at: staging, to: target)
        return target
    }

    private func copyHint(_ repo: String, _ target: URL) -> String {
        "Without network access, copy the model's Hugging Face folder (config.json, model.safetensors, "
            + "tokenizer.json, …) from a machine that has it to \(target.path) and it will be found as '\(repo)'."
    }

    /// Throws unless `url` has the announced size and checksum.
    static func verify(_ url: URL, against file: HubClient.RemoteFile) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? -1
        if let expected = file.size, size != expected {
            throw EncoderError.integrity(file: file.path, reason: "\(size) bytes instead of \(expected)")
        }
        if let sha256 = file.sha256 {
            let actual = try Digest.hex(of: url, kind: .sha256)
            guard actual == sha256.lowercased() else {
                throw EncoderError.integrity(file: file.path, reason: "SHA-256 \(actual) instead of \(sha256)")
            }
        } else if let blob = file.gitBlobID {
            let actual = try Digest.hex(of: url, kind: .sha1, prefix: Array("blob \(size)\0".utf8))
            guard actual == blob.lowercased() else {
                throw EncoderError.integrity(file: file.path, reason: "git blob id \(actual) instead of \(blob)")
            }
        }
    }
}
