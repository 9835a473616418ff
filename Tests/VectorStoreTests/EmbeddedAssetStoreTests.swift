import AssetCatalog
import Foundation
import GRDB
import Testing
@testable import VectorStore

@Suite("Embedded asset store")
struct EmbeddedAssetStoreTests {
    @Test("Upsert stores every field and replaces by id")
    func upsertRoundTripAndReplace() async throws {
        let directory = try TemporaryDirectory()
        let store = try EmbeddedStore(directory: directory.url)
        let original = Fixtures.asset("sh3d-Test-1")
        try await store.upsert([original, Fixtures.asset("sh3d-Test-2")])
        #expect(try await store.asset("sh3d-Test-1") == original)
        #expect(try await store.assetCount() == 2)

        var changed = original
        changed.name = "Renamed"
        changed.category = "Kitchen"
        changed.setCaption(Caption(language: .zh, text: "厨房椅子", origin: .catalog(locale: "zh_CN")))
        try await store.upsert([changed])
        try await store.upsert([changed])
        #expect(try await store.asset("sh3d-Test-1") == changed)
        #expect(try await store.assetCount() == 2)
    }

    @Test("Lookups skip unknown ids")
    func lookups() async throws {
        let directory = try TemporaryDirectory()
        let store = try EmbeddedStore(directory: directory.url)
        try await store.upsert((0..<5).map { Fixtures.asset("a\($0)") })
        let found = try await store.assets(["a1", "a3", "missing", "a3"])
        #expect(Set(found.keys) == ["a1", "a3"])
        #expect(found["a3"]?.name == "Asset a3")
        #expect(try await store.asset("missing") == nil)
        #expect(try await store.assets([]).isEmpty)
    }

    @Test("Pages walk the whole catalog in byte order of the ids")
    func pagination() async throws {
        let directory = try TemporaryDirectory()
        let store = try EmbeddedStore(directory: directory.url)
        let ids = (0..<2_345).map { String(format: "asset-%05d", $0) } + ["Z", "é", "中文", "0/10002"]
        try await store.upsert(ids.shuffled().map { Fixtures.asset($0) })

        var pages: [[Asset]] = []
        for try await page in store.assetPages(pageSize: 1_000) { pages.append(page) }
        #expect(pages.map(\.count) == [1_000, 1_000, 349])
        let expected = ids.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        #expect(pages.flatMap { $0 }.map(\.id.rawValue) == expected)
        #expect(try await store.allAssets(pageSize: 333).map(\.id.rawValue) == expected)

        let afterLast = try await store.assets(after: AssetID(expected[expected.count - 1]), limit: 10)
        #expect(afterLast.isEmpty)
        await #expect(throws: StoreError.self) { try await store.assets(after: nil, limit: 0) }
    }

    @Test("Delete removes only the named assets and ignores unknown ids")
    func delete() async throws {
        let directory = try TemporaryDirectory()
        let store = try EmbeddedStore(directory: directory.url)
        try await store.upsert((0..<10).map { Fixtures.asset("d\($0)") })
        try await store.delete(["d2", "d7", "unknown"])
        #expect(try await store.assetCount() == 8)
        #expect(try await store.asset("d2") == nil)
        #expect(try await store.asset("d3") != nil)
        try await store.delete([])
        #expect(try await store.assetCount() == 8)
    }

    @Test("Malformed ids are rejected with a typed error and nothing is written")
    func malformedIDs() async throws {
        let directory = try TemporaryDirectory()
        let store = try EmbeddedStore(directory: directory.url)
        for bad in ["", String(repeating: "x", count: 257), "line\nbreak"] {
            let error = await #expect(throws: StoreError.self) {
                try await store.upsert([Fixtures.asset("good"), Fixtures.asset(bad)])
            }
            #expect(error?.code == .invalidArgument)
        }
        #expect(try await store.assetCount() == 0)
    }

    @Test("Data survives reopening; the file is in WAL mode with the current schema")
    func reopen() async throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try EmbeddedStore(directory: directory.url)
            try await store.upsert([Fixtures.asset("kept")])
        }
        let store = try EmbeddedStore(directory: directory.url)
        #expect(try await store.asset("kept")?.name == "Asset kept")
        let (mode, migrations) = try await store.pool.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try EmbeddedSchema.migrator.appliedIdentifiers(db))
        }
        #expect(mode == "wal")
        #expect(migrations == Set(EmbeddedSchema.migrator.migrations))
    }

    @Test("A database from a newer version is refused, not modified")
    func newerSchemaRefused() async throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try EmbeddedStore(directory: directory.url)
            try await store.pool.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999-from-the-future')")
            }
        }
        let error = #expect(throws: StoreError.self) { try EmbeddedStore(directory: directory.url) }
        #expect(error?.code == .incompatibleData)
    }

    @Test("A file that is not a database is reported as incompatible data")
    func notADatabase() throws {
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("asset3d.sqlite")
        try Data(repeating: 0x42, count: 8_192).write(to: file)
        let error = #expect(throws: StoreError.self) { try EmbeddedStore(directory: directory.url) }
        #expect(error?.code == .incompatibleData)
    }

    @Test("Many tasks writing and reading at once lose nothing")
    func concurrentAccess() async throws {
        let directory = try TemporaryDirectory()
        let store = try EmbeddedStore(directory: directory.url)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<16 {
                group.addTask { try await Self.writeAndRead(store, task: task) }
            }
            for try await readBack in group { #expect(readBack == 100) }
        }
        #expect(try await store.assetCount() == 16 * 10 * 10)
        #expect(try await store.allAssets().count == 1_600)
    }

    /// Writes 10 batches of 10 assets twice each and returns how many of them read back.
    private static func writeAndRead(_ store: EmbeddedStore, task: Int) async throws -> Int {
        var readBack = 0
        for batch in 0..<10 {
            let ids = (0..<10).map { "t\(task)-b\(batch)-\($0)" }
            try await store.upsert(ids.map { Fixtures.asset($0) })
            // The same batch again must not duplicate anything.
            try await store.upsert(ids.map { Fixtures.asset($0) })
            readBack += try await store.assets(ids.map { AssetID($0) }).count
            _ = try await store.assetCount()
        }
        return readBack
    }

    @Test("Two store instances on one file (two processes) see each other's writes")
    func twoInstances() async throws {
        let directory = try TemporaryDirectory()
        let first = try EmbeddedStore(directory: directory.url)
        let second = try EmbeddedStore(directory: directory.url)
        try await first.upsert([Fixtures.asset("from-first")])
        try await second.upsert([Fixtures.asset("from-second")])
        #expect(try await first.assetCount() == 2)
        #expect(try await second.asset("from-first") != nil)
    }
}
