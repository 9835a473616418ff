import Foundation
import Logging

/// How a batch translation run waits and retries.
public struct BatchRunOptions: Sendable {
    /// Time between status checks of running batches.
    public var pollInterval: Duration
    /// Return after this long even if batches are still running (their items are reported as
    /// ``TranslationRun/pending``; the next run picks them up). `nil` = wait until all finish.
    public var maxWait: Duration?
    /// Submissions per item before it stays failed.
    public var maxAttempts: Int
    /// Resubmit items that failed in earlier runs (while under ``maxAttempts``).
    public var retryFailed: Bool
    /// Consecutive failed checks of the service (each already retried) before the run stops early.
    public var maxConsecutiveErrors: Int

    /// Defaults: poll every 30 s, wait until done, 3 submissions per item, retry earlier failures.
    public init(
        pollInterval: Duration = .seconds(30), maxWait: Duration? = nil, maxAttempts: Int = 3, retryFailed: Bool = true,
        maxConsecutiveErrors: Int = 5
    ) {
        self.pollInterval = pollInterval
        self.maxWait = maxWait
        self.maxAttempts = max(1, maxAttempts)
        self.retryFailed = retryFailed
        self.maxConsecutiveErrors = max(1, maxConsecutiveErrors)
    }
}

/// Batch-mode EN→CN translation through the OpenAI-compatible Batch API (half the price of
/// direct calls on DashScope): JSONL upload to `/files`, job creation on `/batches`, polling, and
/// mapping the output and error files back by `custom_id`.
///
/// Every step is written to `translation-state.json` in the state directory before the next one
/// starts, so a crash or a restart days later resumes where it stopped: finished items are never
/// uploaded again, uploaded files are not uploaded again, and a batch whose creation answer was
/// lost is found again through the batch list instead of being created twice.
public struct BatchTranslator: Sendable {
    /// The chat model used.
    public var model: String { configuration.model }
    private let configuration: TranslationConfiguration
    private let stateDirectory: URL
    private let transport: ProviderTransport
    private let api: BatchAPIClient

    /// Validates the configuration; `stateDirectory` is created when missing.
    public init(
        configuration: TranslationConfiguration, stateDirectory: URL,
        environment: ProviderEnvironment = ProviderEnvironment()
    ) throws(ProviderError) {
        let key = try configuration.validatedKey(service: "Batch translation")
        self.configuration = configuration
        self.stateDirectory = stateDirectory
        self.transport = ProviderTransport(
            service: "batch translation", apiKey: key, options: configuration.http, environment: environment)
        self.api = BatchAPIClient(base: configuration.baseURL, transport: transport)
    }

    private var logger: Logger { transport.logger }
    private var clock: any ProviderClock { transport.environment.clock }

    /// Translates `items`, resuming whatever an earlier run left unfinished in the state directory.
    /// Throws only when the state directory cannot be used; service problems end up in the result.
    public func run(
        _ items: [TranslationItem], options: BatchRunOptions = BatchRunOptions()
    ) async throws(ProviderError)
        -> TranslationRun
    {
        let store = try BatchStateStore(directory: stateDirectory)
        var state = try store.load()
        let meter = UsageMeter()
        var requested: [String] = []
        var seen = Set<String>()
        for item in items where seen.insert(item.id).inserted {
            requested.append(item.id)
            reconcile(item, in: &state, options: options)
        }
        try store.save(state)
        let started = clock.now
        var consecutiveErrors = 0
        while true {
            try submitPending(requested, in: &state, store: store, options: options)
            var hadError = false
            for index in state.jobs.indices where state.jobs[index].phase != .collected {
                do {
                    try await advance(jobAt: index, in: &state, store: store, options: options, meter: meter)
                } catch let error as ProviderError where error.code == .stateFile {
                    throw error
                } catch let error as ProviderError where error.code == .http && !error.isTransient {
                    // Refused for good (bad file, unknown batch, bad key): give the items up for this
                    // run; they are resubmitted by a later one.
                    abandon(jobAt: index, in: &state, reason: error)
                    try store.save(state)
                } catch {
                    hadError = true
                    logger.warning(
                        "batch step failed; will try again",
                        metadata: ["job": "\(state.jobs[index].localID)", "error": "\(error)"])
                }
            }
            consecutiveErrors = hadError ? consecutiveErrors + 1 : 0
            let active = state.jobs.contains { $0.phase != .collected }
            let waitedTooLong = options.maxWait.map { clock.now - started >= $0 } ?? false
            let hasNewWork = requested.contains { state.items[$0]?.status == .pending }
            if (!active && !hasNewWork) || waitedTooLong || consecutiveErrors >= options.maxConsecutiveErrors { break }
            if active {
                do { try await clock.sleep(for: options.pollInterval) } catch { break }
            }
        }
        return result(for: requested, state: state, usage: meter.value)
    }

    // MARK: Items

    private func reconcile(_ item: TranslationItem, in state: inout BatchState, options: BatchRunOptions) {
        guard var record = state.items[item.id], record.source == item.text else {
            state.items[item.id] = BatchState.Item(source: item.text, status: .pending, attempts: 0)
            return
        }
        if record.status == .failed && options.retryFailed && record.attempts < options.maxAttempts {
            record.status = .pending
            state.items[item.id] = record
        }
    }

    /// Puts the requested pending items into new jobs of at most `batchSize` lines.
    private func submitPending(
        _ requested: [String], in state: inout BatchState, store: BatchStateStore, options: BatchRunOptions
    ) throws(ProviderError) {
        let pending = requested.filter { state.items[$0]?.status == .pending }
        guard !pending.isEmpty else { return }
        for start in stride(from: 0, to: pending.count, by: configuration.batchSize) {
            let chunk = pending[start..<min(start + configuration.batchSize, pending.count)]
            let localID = "job-\(state.nextJobID)"
            state.nextJobID += 1
            var customIDs: [String: String] = [:]
            for id in chunk {
                let customID = "t\(state.nextCustomID)"
                state.nextCustomID += 1
                customIDs[customID] = id
                state.items[id]?.status = .submitted
                state.items[id]?.job = localID
                state.items[id]?.attempts += 1
            }
            state.jobs.append(
                BatchState.Job(localID: localID, customIDs: customIDs, phase: .preparing, createdAt: Date()))
            logger.info("batch job prepared", metadata: ["job": "\(localID)", "items": "\(chunk.count)"])
        }
        try store.save(state)
    }

    // MARK: Jobs

    /// Moves one job forward as far as it can go right now, saving after every step.
    private func advance(
        jobAt index: Int, in state: inout BatchState, store: BatchStateStore, options: BatchRunOptions,
        meter: UsageMeter
    ) async throws {
        if state.jobs[index].phase == .preparing {
            let lines = inputLines(for: state.jobs[index], state: state)
            guard !lines.isEmpty else {
                state.jobs[index].phase = .collected
                try store.save(state)
                return
            }
            let fileID = try await api.uploadJSONL(
                lines, filename: "asset3d-translate-\(state.jobs[index].localID).jsonl", usage: meter)
            state.jobs[index].inputFileID = fileID
            state.jobs[index].phase = .uploaded
            try store.save(state)
            logger.info("batch input uploaded", metadata: ["job": "\(state.jobs[index].localID)", "file": "\(fileID)"])
        }
        if state.jobs[index].phase == .uploaded || state.jobs[index].phase == .creating {
            guard let fileID = state.jobs[index].inputFileID else {
                throw ProviderError(.stateFile, "job \(state.jobs[index].localID) has no input file id")
            }
            var batch: OpenAIWire.Batch?
            if state.jobs[index].phase == .creating {
                // A previous run sent the creation but may have crashed before saving the answer.
                batch = try await api.recentBatches(usage: meter).first { $0.inputFileID == fileID }
            }
            if batch == nil {
                state.jobs[index].phase = .creating
                try store.save(state)
                batch = try await api.createBatch(
                    inputFileID: fileID, completionWindow: configuration.completionWindow, usage: meter)
            }
            guard let batch else { return }
            state.jobs[index].batchID = batch.id
            state.jobs[index].remoteStatus = batch.status
            state.jobs[index].phase = .running
            try store.save(state)
            logger.info("batch created", metadata: ["job": "\(state.jobs[index].localID)", "batch": "\(batch.id)"])
        }
        guard state.jobs[index].phase == .running, let batchID = state.jobs[index].batchID else { return }
        let batch = try await api.batch(id: batchID, usage: meter)
        if batch.status != state.jobs[index].remoteStatus {
            state.jobs[index].remoteStatus = batch.status
            try store.save(state)
            logger.info(
                "batch status",
                metadata: [
                    "batch": "\(batchID)", "status": "\(batch.status)",
                    "completed": "\(batch.requestCounts?.completed ?? 0)",
                    "failed": "\(batch.requestCounts?.failed ?? 0)",
                ])
        }
        guard ["completed", "failed", "expired", "cancelled"].contains(batch.status) else { return }
        try await collect(batch, jobAt: index, in: &state, options: options, meter: meter)
        state.jobs[index].phase = .collected
        try store.save(state)
    }

    private func abandon(jobAt index: Int, in state: inout BatchState, reason: ProviderError) {
        let job = state.jobs[index]
        for id in job.customIDs.values {
            guard var item = state.items[id], item.status == .submitted, item.job == job.localID else { continue }
            item.status = .failed
            item.job = nil
            item.lastError = reason.description
            state.items[id] = item
        }
        state.jobs[index].phase = .collected
        logger.warning("batch job abandoned", metadata: ["job": "\(job.localID)", "error": "\(reason)"])
    }

    /// The JSONL of a job: one chat request per item still waiting on it.
    private func inputLines(for job: BatchState.Job, state: BatchState) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var output: [UInt8] = []
        for (customID, id) in job.customIDs.sorted(by: { $0.key < $1.key }) {
            guard let item = state.items[id], item.status == .submitted, item.job == job.localID else { continue }
            let line = OpenAIWire.BatchInputLine(
                customID: customID, url: BatchAPIClient.chatEndpoint, body: configuration.chatRequest(for: item.source))
            guard let data = try? encoder.encode(line) else { continue }
            output += data
            output.append(UInt8(ascii: "\n"))
        }
        return output
    }

    /// Reads the output and error files of a finished batch back into the items.
    private func collect(
        _ batch: OpenAIWire.Batch, jobAt index: Int, in state: inout BatchState, options: BatchRunOptions,
        meter: UsageMeter
    ) async throws {
        let job = state.jobs[index]
        var answered = Set<String>()
        var usage = ProviderUsage()
        for fileID in [batch.outputFileID, batch.errorFileID].compactMap({ $0 }) {
            let content = try await api.fileContent(id: fileID, usage: meter)
            for line in content.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                guard let decoded = try? JSONDecoder().decode(OpenAIWire.BatchOutputLine.self, from: Data(line)) else {
                    logger.warning("unreadable line in batch file", metadata: ["file": "\(fileID)"])
                    continue
                }
                guard let id = job.customIDs[decoded.customID], let item = state.items[id], item.status == .submitted,
                    item.job == job.localID
                else { continue }
                answered.insert(decoded.customID)
                usage.inputTokens += decoded.response?.body?.usage?.promptTokens ?? 0
                usage.outputTokens += decoded.response?.body?.usage?.completionTokens ?? 0
                state.items[id] = outcome(of: decoded, item: item, options: options)
            }
        }
        let batchMessage = batch.errors?.data?.compactMap(\.message).joined(separator: "; ")
        for (customID, id) in job.customIDs where !answered.contains(customID) {
            guard var item = state.items[id], item.status == .submitted, item.job == job.localID else { continue }
            item.job = nil
            let unprocessed = batch.status == "expired" || batch.status == "cancelled"
            if unprocessed && item.attempts < options.maxAttempts {
                item.status = .pending  // not processed in time: submit again
            } else {
                item.status = .failed
                item.lastError =
                    batch.status == "completed"
                    ? "missing from the batch output" : "batch \(batch.status)" + (batchMessage.map { ": \($0)" } ?? "")
            }
            state.items[id] = item
        }
        meter.add(usage)
        state.usage.add(usage)
        logger.info(
            "batch collected",
            metadata: [
                "batch": "\(batch.id)", "status": "\(batch.status)", "answered": "\(answered.count)",
                "items": "\(job.customIDs.count)",
            ])
    }

    private func outcome(
        of line: OpenAIWire.BatchOutputLine, item: BatchState.Item, options: BatchRunOptions
    ) -> BatchState.Item {
        var item = item
        item.job = nil
        let status = line.response?.statusCode ?? 0
        if status == 200, line.error == nil, let choice = line.response?.body?.choices?.first {
            do {
                item.translation = try TranslationText.clean(choice.message?.content, finishReason: choice.finishReason)
                item.model = configuration.model
                item.status = .done
                item.lastError = nil
                return item
            } catch {
                item.lastError = error.message
            }
        } else {
            let message = line.error?.message ?? line.response?.body?.error?.message ?? "HTTP \(status)"
            let code = line.error?.code ?? line.response?.body?.error?.code
            item.lastError = transport.redactor.redactAndTruncate(code.map { "\($0): \(message)" } ?? message)
        }
        item.status = .failed
        return item
    }

    private func result(for requested: [String], state: BatchState, usage: ProviderUsage) -> TranslationRun {
        var run = TranslationRun(model: model, usage: usage)
        for id in requested {
            guard let item = state.items[id] else { continue }
            switch item.status {
            case .done:
                run.translations[id] = item.translation
                if let itemModel = item.model, itemModel != model { run.modelByItem[id] = itemModel }
            case .failed:
                run.failures.append(ItemFailure(id: id, error: ProviderError(.batchFailed, item.lastError ?? "failed")))
            case .pending, .submitted: run.pending.append(id)
            }
        }
        run.failures.sort { $0.id < $1.id }
        run.pending.sort()
        logger.info(
            "batch translation run finished",
            metadata: [
                "translated": "\(run.translations.count)", "failed": "\(run.failures.count)",
                "pending": "\(run.pending.count)", "usage": "\(usage.summary)",
            ])
        return run
    }
}
