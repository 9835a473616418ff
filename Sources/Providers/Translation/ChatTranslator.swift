import Foundation
import Logging

/// Direct-mode EN→CN translation: one `/chat/completions` request per caption, run concurrently
/// within the configured concurrency and requests-per-minute limits, each retried on transient
/// failures. Items that still fail are listed in ``TranslationRun/failures`` — never silently dropped.
public struct ChatTranslator: Sendable {
    /// The chat model used.
    public var model: String { configuration.model }
    private let configuration: TranslationConfiguration
    private let transport: ProviderTransport
    private let url: String

    /// Validates the configuration (the key must be present for DashScope) and prepares the client.
    public init(
        configuration: TranslationConfiguration, environment: ProviderEnvironment = ProviderEnvironment()
    ) throws(ProviderError) {
        let key = try configuration.validatedKey(service: "Translation")
        self.configuration = configuration
        self.url = Endpoints.openAI(base: configuration.baseURL, path: "chat/completions")
        self.transport = ProviderTransport(
            service: "translation", apiKey: key, options: configuration.http, environment: environment)
    }

    /// Usage summed over every call made with this translator.
    public var totalUsage: ProviderUsage { transport.usage.value }

    /// Translates `items`; returns translations, failures and usage.
    public func translate(_ items: [TranslationItem]) async -> TranslationRun {
        let meter = UsageMeter()
        var run = TranslationRun(model: model)
        var seen = Set<String>()
        let unique = items.filter { seen.insert($0.id).inserted }
        let results = await boundedConcurrentMap(unique, limit: configuration.http.maxConcurrentRequests) { item in
            (item.id, await self.translateOne(item.text, meter: meter))
        }
        for (id, result) in results {
            switch result {
            case .success(let text): run.translations[id] = text
            case .failure(let error): run.failures.append(ItemFailure(id: id, error: error))
            }
        }
        run.failures.sort { $0.id < $1.id }
        run.usage = meter.value
        transport.logger.info(
            "translation finished",
            metadata: [
                "model": "\(model)", "translated": "\(run.translations.count)", "failed": "\(run.failures.count)",
                "usage": "\(run.usage.summary)",
            ])
        return run
    }

    /// Translates one text, throwing on failure (for interactive use, e.g. a query).
    public func translate(_ text: String) async throws(ProviderError) -> String {
        try await translateOne(text, meter: UsageMeter()).get()
    }

    private func translateOne(_ text: String, meter: UsageMeter) async -> Result<String, ProviderError> {
        let body: [UInt8]
        do { body = Array(try JSONEncoder().encode(configuration.chatRequest(for: text))) } catch {
            return .failure(ProviderError(.invalidConfiguration, "could not encode the request: \(error)"))
        }
        do {
            let (translation, usage) = try await transport.perform(
                OutgoingRequest(
                    method: .post, url: url, headers: [("Content-Type", "application/json")], body: body,
                    label: "chat/completions"),
                usage: meter
            ) { response in
                let decoded = try JSONDecoder().decode(OpenAIWire.ChatResponse.self, from: Data(response.body))
                guard let choice = decoded.choices.first else {
                    throw ProviderError(.malformedResponse, "the chat response has no choices")
                }
                return (
                    try TranslationText.clean(choice.message?.content, finishReason: choice.finishReason), decoded.usage
                )
            }
            meter.add {
                $0.inputTokens += usage?.promptTokens ?? 0
                $0.outputTokens += usage?.completionTokens ?? 0
            }
            return .success(translation)
        } catch let error as ProviderError {
            return .failure(error)
        } catch {
            return .failure(ProviderError(.connection, transport.redactor.redactAndTruncate("\(error)")))
        }
    }
}
