import AssetCatalog
import Foundation
import GRDB
import Testing
@testable import VectorStore

#if canImport(Glibc)
import Glibc
#endif

/// kill -9 in the middle of ingestion, five times, then a rerun: the database is intact, batches are whole,
/// and the final counts are exact. (Exit tests run the closure in a child process.)
@Suite("Embedded store crash safety")
struct CrashSafetyTests {
    static let space = EmbeddingSpace(name: "crash", modelID: "test/crash", dimension: 48)
    static let batch = 20
    static let batches = 60

    /// The ingestion the child runs (again and again, like a restarted job) until it is killed.
    static func ingest(into directory: URL, forever: Bool) async throws {
        let store = try EmbeddedStore(directory: directory)
        try await store.ensureSpace(space)
        repeat {
            for number in 0..<batches {
                try await store.upsert((0..<batch).map { Fixtures.asset("crash-\(number)-\($0)") })
                try await store.upsert(space: space.name, (0..<batch).flatMap { index in
                    (0..<4).map { view in
                        VectorRecord(assetID: AssetID("crash-\(number)-\(index)"), kind: .imageView, viewIndex: view,
                                     vector: randomVector(seed: UInt64(number * 1_000 + index * 10 + view), 48))
                    }
                })
            }
        } while forever
    }

    @Test("Killed five times mid-ingest, rerun: intact file, whole batches, exact counts, no duplicates")
    func killedIngest() async throws {
        let directory = try TemporaryDirectory()
        setenv("ASSET3D_CRASH_TEST_DIR", directory.url.path, 1)
        for round in 0..<5 {
            setenv("ASSET3D_CRASH_TEST_DELAY_MS", String(150 + 170 * round), 1)
            await #expect(processExitsWith: .signal(SIGKILL)) {
                let environment = ProcessInfo.processInfo.environment
                guard let path = environment["ASSET3D_CRASH_TEST_DIR"],
                    let delay = environment["ASSET3D_CRASH_TEST_DELAY_MS"].flatMap({ Int($0) })
                else { exit(2) }
                Task.detached {
                    try? await Task.sleep(for: .milliseconds(delay))
                    kill(getpid(), SIGKILL)
                }
                try await CrashSafetyTests.ingest(into: URL(fileURLWithPath: path), forever: true)
            }
            try await Self.checkConsistent(directory.url)
        }
        try await Self.ingest(into: directory.url, forever: false)
        let store = try EmbeddedStore(directory: directory.url)
        let total = Self.batch * Self.batches
        #expect(try await store.assetCount() == total)
        let counts = try #require(try await store.spaces().first).counts
        #expect(counts == [.imageView: total * 4])
        #expect(try await store.assetIDs(withVectorsIn: "crash", kind: .imageView).count == total)
    }

    /// After a kill: SQLite's integrity check passes, every asset batch is complete, and every asset has all four
    /// views or none (its vector batch had not committed yet).
    static func checkConsistent(_ directory: URL) async throws {
        let store = try EmbeddedStore(directory: directory)
        let (integrity, perAsset, assets) = try await store.pool.read { db in
            (try String.fetchOne(db, sql: "PRAGMA integrity_check"),
             try Int.fetchAll(db, sql: "SELECT count(*) FROM vector GROUP BY asset_id"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM asset") ?? -1)
        }
        #expect(integrity == "ok")
        #expect(assets % batch == 0, "\(assets) assets: a batch was half written")
        #expect(perAsset.allSatisfy { $0 == 4 }, "an asset has a partial set of views")
        #expect(perAsset.count % batch == 0)
    }
}
