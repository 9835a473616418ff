import CoreMetrics
import Prometheus

/// Prometheus metrics for `/metrics`: swift-metrics is bootstrapped once per process with a Prometheus
/// factory, so Hummingbird's request counters/timers and the search engine's timers all land in one registry.
public enum ServerMetrics {
    /// The registry `/metrics` renders.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Latency buckets from 1 ms to 10 s (search is meant to take milliseconds).
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
            .milliseconds(40), .milliseconds(80), .milliseconds(160), .milliseconds(320), .milliseconds(640),
            .seconds(1), .seconds(2), .seconds(5), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Bootstraps metrics (idempotent); call before building the router.
    public static func bootstrap() { _ = registry }
}
