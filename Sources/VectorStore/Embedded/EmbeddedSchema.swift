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
        return migrator
    }()
}
