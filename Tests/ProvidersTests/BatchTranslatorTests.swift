import Foundation
import Providers
import Synchronization
import Testing

/// Batch-mode translation: upload, create, poll, collect, persist, resume.
@Suite struct BatchTranslatorTests {
    static let key = ChatTranslatorTests.key

    /// A fake server plus a fresh state directory; both are cleaned up afterwards.
    func withBatchAPI(_ body: (FakeOpenAI, FakeHTTPServer, URL) async throws -> Void) async throws {
        let fake = FakeOpenAI(apiKey: Self.key)
        let server = try await FakeHTTPServer.start { await fake.handle($0) }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("providers-batch-\(UUID().uuidString)", isDirectory: true)
        do {
            try await body(fake, server, directory)
        } catch {
            await server.stop()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        await server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    func translator(
        _ server: FakeHTTPServer, _ directory: URL, _ environment: TestEnvironment, batchSize: Int = 100
    )
        throws -> BatchTranslator
    {
        try BatchTranslator(
            configuration: TranslationConfiguration(
                baseURL: server.baseURL + "/compatible-mode/v1", apiKey: Self.key, batchSize: batchSize, http: .test()),
            stateDirectory: directory, environment: environment.provider)
    }

    static func items(_ range: Range<Int>, failing: Set<Int> = []) -> [TranslationItem] {
        range.map {
            TranslationItem(
                id: "asset-\($0)", text: failing.contains($0) ? "FAIL caption \($0)" : "walnut cabinet \($0)")
        }
    }

    @Test func aBatchRunsToCompletionAndMapsResultsByCustomID() async throws {
        try await withBatchAPI { fake, server, directory in
            let environment = TestEnvironment()
            let run = try await translator(server, directory, environment)
                .run(Self.items(0..<10), options: BatchRunOptions(pollInterval: .seconds(60)))
            #expect(run.pending.isEmpty && run.failures.isEmpty)
            #expect(run.translations.count == 10)
            #expect(run.translations["asset-4"] == FakeOpenAI.translation(of: "walnut cabinet 4"))
            #expect(fake.uploads.count == 1)
            #expect(fake.batches.count == 1)
            #expect(environment.clock.sleeps.allSatisfy { $0 == .seconds(60) })
            #expect(run.usage.outputTokens == 70)
            #expect(
                FileManager.default.fileExists(atPath: directory.appendingPathComponent("translation-state.json").path))
            #expect(server.requests.contains { $0.method == "POST" && $0.path == "/compatible-mode/v1/files" })
        }
    }

    @Test func anInterruptedRunResumesWithoutUploadingFinishedItemsAgain() async throws {
        try await withBatchAPI { fake, server, directory in
            // Run 1 stops waiting while the batch is still in progress (as if the process ended).
            fake.state.withLock { $0.pollsUntilDone = Int.max }
            let first = try await translator(server, directory, TestEnvironment())
                .run(Self.items(0..<10), options: BatchRunOptions(pollInterval: .seconds(30), maxWait: .seconds(90)))
            #expect(first.translations.isEmpty)
            #expect(first.pending.count == 10)
            #expect(fake.uploads.count == 1)

            // Run 2, a new translator on the same directory ("days later"): the same batch is polled,
            // nothing is uploaded again.
            fake.state.withLock { $0.pollsUntilDone = 0 }
            let second = try await translator(server, directory, TestEnvironment()).run(Self.items(0..<10))
            #expect(second.translations.count == 10)
            #expect(fake.uploads.count == 1)
            #expect(fake.batches.count == 1)

            // Run 3 adds five new captions: only those are uploaded.
            let third = try await translator(server, directory, TestEnvironment()).run(Self.items(0..<15))
            #expect(third.translations.count == 15)
            #expect(fake.uploads.count == 2)
            #expect(fake.uploads[1].sorted() == (10..<15).map { "walnut cabinet \($0)" }.sorted())

            // A run with everything done sends nothing at all.
            let before = server.requests.count
            let fourth = try await translator(server, directory, TestEnvironment()).run(Self.items(0..<15))
            #expect(fourth.translations.count == 15)
            #expect(server.requests.count == before)
        }
    }

    @Test func aLostCreationAnswerDoesNotCreateASecondBatch() async throws {
        try await withBatchAPI { fake, server, directory in
            fake.state.withLock { $0.loseNextCreateAnswer = true }
            let run = try await translator(server, directory, TestEnvironment())
                .run(Self.items(0..<4), options: BatchRunOptions(pollInterval: .seconds(5)))
            #expect(run.translations.count == 4)
            #expect(fake.batches.count == 1)
            #expect(server.requests.contains { $0.method == "GET" && $0.path == "/compatible-mode/v1/batches" })
        }
    }

    @Test func partialFailuresAreListedAndRetriedOnTheNextRun() async throws {
        try await withBatchAPI { fake, server, directory in
            let first = try await translator(server, directory, TestEnvironment()).run(Self.items(0..<10, failing: [3]))
            #expect(first.translations.count == 9)
            #expect(first.failedIDs == ["asset-3"])
            #expect(first.failures.first?.error.message.contains("data_inspection_failed") == true)
            // The caption was fixed; the next run uploads only that item.
            var fixed = Self.items(0..<10)
            fixed[3].text = "walnut cabinet 3 (fixed)"
            let second = try await translator(server, directory, TestEnvironment()).run(fixed)
            #expect(second.failures.isEmpty)
            #expect(second.translations["asset-3"] == FakeOpenAI.translation(of: "walnut cabinet 3 (fixed)"))
            #expect(fake.uploads.count == 2)
            #expect(fake.uploads[1] == ["walnut cabinet 3 (fixed)"])
        }
    }

    @Test func anExpiredBatchResubmitsOnlyTheUnprocessedItems() async throws {
        try await withBatchAPI { fake, server, directory in
            fake.state.withLock { $0.outcomes = [.expireAfter(6)] }
            let run = try await translator(server, directory, TestEnvironment()).run(Self.items(0..<10))
            #expect(run.translations.count == 10)
            #expect(run.failures.isEmpty)
            #expect(fake.batches.map(\.status) == ["expired", "completed"])
            #expect(fake.uploads.map(\.count) == [10, 4])
        }
    }

    @Test func aFailedBatchReportsItsItems() async throws {
        try await withBatchAPI { fake, server, directory in
            fake.state.withLock { $0.outcomes = [.fail] }
            let run = try await translator(server, directory, TestEnvironment()).run(Self.items(0..<3))
            #expect(run.translations.isEmpty)
            #expect(run.failedIDs == ["asset-0", "asset-1", "asset-2"])
            #expect(run.failures.first?.error.message.contains("could not be parsed") == true)
        }
    }

    @Test func largeRunsAreSplitIntoSeveralJobsAndFaultsAreRetried() async throws {
        try await withBatchAPI { fake, server, directory in
            fake.inject([.status(503), .malformedJSON], path: "/v1/batches/")
            fake.inject([.status(429, retryAfter: "3")], path: "/v1/files")
            let environment = TestEnvironment()
            let run = try await translator(server, directory, environment, batchSize: 4).run(Self.items(0..<10))
            #expect(run.translations.count == 10)
            #expect(fake.uploads.map(\.count).sorted() == [2, 4, 4])
            #expect(environment.clock.sleeps.contains(.seconds(3)))
        }
    }

    @Test func aRefusedUploadFailsItsItemsAndTheNextRunRetriesThem() async throws {
        try await withBatchAPI { fake, server, directory in
            fake.inject([.status(400)], path: "/v1/files")
            let first = try await translator(server, directory, TestEnvironment()).run(Self.items(0..<3))
            #expect(first.failedIDs == ["asset-0", "asset-1", "asset-2"])
            #expect(first.failures.first?.error.message.contains("HTTP 400") == true)
            #expect(fake.batches.isEmpty)
            let second = try await translator(server, directory, TestEnvironment()).run(Self.items(0..<3))
            #expect(second.translations.count == 3)
            #expect(fake.uploads.count == 1)
        }
    }

    @Test func twoRunsCannotShareAStateDirectory() async throws {
        try await withBatchAPI { fake, server, directory in
            fake.state.withLock { $0.pollsUntilDone = Int.max }
            // Real time here (10 ms polls) so the first run is still going when the second starts; it ends
            // when the fake finishes the batch below, not by a deadline (a loaded machine must not matter).
            let translator = try BatchTranslator(
                configuration: TranslationConfiguration(
                    baseURL: server.baseURL + "/v1", apiKey: Self.key, http: .test()),
                stateDirectory: directory, environment: ProviderEnvironment(logger: TestEnvironment().logs.logger()))
            let slow = Task {
                try await translator.run(
                    Self.items(0..<2), options: BatchRunOptions(pollInterval: .milliseconds(10), maxWait: .seconds(3600)))
            }
            while fake.batches.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
            do throws(ProviderError) {
                _ = try await translator.run(Self.items(0..<2))
                Issue.record("a second run used a locked state directory")
            } catch {
                #expect(error.code == .stateFile)
            }
            fake.state.withLock { $0.pollsUntilDone = 0 }
            let finished = try await slow.value
            #expect(finished.translations.count == 2)
        }
    }
}
