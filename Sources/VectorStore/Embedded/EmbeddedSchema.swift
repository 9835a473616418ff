import GRDB

/// The embedded database's schema, as an ordered list of GRDB migrations. Never edit a shipped migration;
/// append a new one.
enum EmbeddedSchema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()

        // v1: assets. The full asset is kept as JSON; the columns beside it are what filters and
        // pagination read without decoding.
        migrator.registerMigration("v1-assets") { db in
            try db.execute(
                sql: """
                    CREATE TABLE asset (
                        id TEXT PRIMARY KEY NOT NULL,
                        library TEXT NOT NULL,
                        category_key TEXT,
                        license TEXT,
                        largest_side REAL,
                        json TEXT NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE INDEX asset_library ON asset(library);
                    CREATE INDEX asset_category ON asset(category_key);
                    """)
        }
        // v2: embedding spaces and their vectors, plus the generation counter that keeps every process's
        // in-memory matrices consistent with the file (see MemoryIndex).
        migrator.registerMigration("v2-vectors") { db in
            try db.execute(
                sql: """
                    CREATE TABLE space (
                        name TEXT PRIMARY KEY NOT NULL,
                        model_id TEXT NOT NULL,
                        revision TEXT NOT NULL,
                        dimension INTEGER NOT NULL CHECK (dimension > 0),
                        encoding TEXT NOT NULL CHECK (encoding IN ('float32', 'float16')),
                        created_at REAL NOT NULL
                    );
                    CREATE TABLE vector (
                        space TEXT NOT NULL REFERENCES space(name) ON DELETE CASCADE,
                        kind INTEGER NOT NULL,
                        asset_id TEXT NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
                        view INTEGER NOT NULL,
                        data BLOB NOT NULL,
                        UNIQUE (space, kind, asset_id, view)
                    );
                    CREATE INDEX vector_asset ON vector(asset_id, space);
                    CREATE TABLE store_state (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        generation INTEGER NOT NULL
                    );
                    INSERT INTO store_state (id, generation) VALUES (1, 0);
                    """)
        }
        return migrator
    }()
}
