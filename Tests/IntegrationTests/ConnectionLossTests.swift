import AssetCatalog
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import PostgresNIO
import Testing
@testable import VectorStore

@Suite("PostgreSQL outages")
struct ConnectionLossTests {
    @Test("An unreachable server gives a typed 'unavailable' error without the password")
    func unreachable() async throws {
        var configuration = try TestDatabase.configuration()
        configuration.port = 1  // nothing listens there
        configuration.password = "hunter2-secret"
        configuration.connectionTimeout = .milliseconds(800)
        let store = try PostgresStore(configuration: configuration)
        try await store.withRunning { store in
            let error = await #expect(throws: StoreError.self) { try await store.assetCount() }
            #expect(error?.code == .unavailable)
            let message = error.map { String(describing: $0) } ?? ""
            #expect(message.contains("127.0.0.1:1") && message.contains("did not answer"), "\(message)")
            #expect(!message.contains("hunter2"))
        }
    }

    @Test("The server going away and coming back: 'unavailable' while it is gone, recovery without a restart")
    func outageAndRecovery() async throws {
        let base = try TestDatabase.configuration()
        let proxy = TCPProxy(targetHost: base.host, targetPort: base.port)
        try await proxy.start()
        var configuration = base
        configuration.host = "127.0.0.1"
        configuration.port = proxy.port
        // A short deadline keeps the outage phase quick. While the server is up, a busy machine (the whole suite
        // runs in parallel) can still miss it now and then, so those steps retry; each is idempotent. (At 1 s and
        // a 15 s retry window, a CI run at load 5 once spent the whole window failing to connect.)
        configuration.connectionTimeout = .seconds(3)
        let store = try PostgresStore(configuration: configuration)
        do {
            try await store.withRunning { store in
                try await Self.eventually { try await store.migrate() }
                try await Self.eventually { try await store.upsert([testAsset("before")]) }
                #expect(try await Self.eventually { try await store.assetCount() } == 1)

                try await proxy.stop()
                for _ in 0..<3 {
                    let error = await #expect(throws: StoreError.self) { try await store.assetCount() }
                    #expect(error?.code == .unavailable, "\(String(describing: error))")
                }

                try await proxy.start()
                let recovered = try await Self.eventually { try await store.assetCount() }
                #expect(recovered == 1)
                try await Self.eventually { try await store.upsert([testAsset("after")]) }
                #expect(try await Self.eventually { try await store.assetCount() } == 2)
                try await TestDatabase.dropSchema(of: store)
            }
        } catch {
            try await proxy.shutdown()
            throw error
        }
        try await proxy.shutdown()
    }

    @Test("Connections killed by the server are replaced")
    func terminatedBackends() async throws {
        let name = "asset3d-" + TestDatabase.uniqueSchema()
        try await TestDatabase.withStore({ $0.applicationName = name }) { store in
            try await store.upsert([testAsset("x")])
            try await store.withConnection("terminate") { connection in
                try await connection.query(
                    """
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE application_name = \(name) AND pid <> pg_backend_pid()
                    """, logger: store.logger)
            }
            let count = try await Self.eventually { try await store.assetCount() }
            #expect(count == 1)
        }
    }

    /// Real server restart: set ASSET3D_TEST_PG_CONTROL to a command taking `stop` / `start` (e.g. `asset3d db`).
    /// Stopping the shared server disturbs concurrently running database tests, so it is opt-in.
    @Test(
        "A real PostgreSQL stop and start: 'unavailable', then recovery",
        .enabled(if: ProcessInfo.processInfo.environment["ASSET3D_TEST_PG_CONTROL"] != nil))
    func realRestart() async throws {
        let control = try #require(ProcessInfo.processInfo.environment["ASSET3D_TEST_PG_CONTROL"])
        try await TestDatabase.withStore { store in
            try await store.upsert([testAsset("survivor")])
            try Self.shell("\(control) stop")
            let error = await #expect(throws: StoreError.self) { try await store.assetCount() }
            #expect(error?.code == .unavailable, "\(String(describing: error))")
            try Self.shell("\(control) start")
            let count = try await Self.eventually(for: .seconds(30)) { try await store.assetCount() }
            #expect(count == 1)
        }
    }

    /// Retries `operation` while it fails with `unavailable`, for up to `limit`.
    static func eventually<T: Sendable>(for limit: Duration = .seconds(60), _ operation: () async throws -> T)
        async throws -> T
    {
        let deadline = ContinuousClock.now + limit
        while true {
            do {
                return try await operation()
            } catch let error as StoreError where error.code == .unavailable && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Runs `command` with `/bin/sh`, output discarded. (`system` rather than Foundation's `Process`, whose
    /// `waitUntilExit` did not return here once the command had left a daemon running.)
    static func shell(_ command: String) throws {
        let status = system("\(command) </dev/null >/dev/null 2>&1")
        guard status == 0 else { throw StoreError(.storageFailure, "`\(command)` exited with status \(status)") }
    }
}
