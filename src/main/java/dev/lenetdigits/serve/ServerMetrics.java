package dev.lenetdigits.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.IntSupplier;

/**
 * What {@code GET /metrics} shows, in the Prometheus text format (written by the Prometheus Java client):
 * requests by endpoint and status code, errors by status code, a latency histogram per endpoint, the size
 * of every forward pass, digits classified, and the digits waiting now.
 */
final class ServerMetrics {
    static final String PREFIX = "lenet_digits_";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests = Counter.builder()
            .name(PREFIX + "http_requests_total")
            .help("HTTP requests answered, by endpoint and status code")
            .labelNames("endpoint", "code")
            .register(registry);
    private final Counter errors = Counter.builder()
            .name(PREFIX + "http_errors_total")
            .help("HTTP requests answered with a 4xx or 5xx status, by status code")
            .labelNames("code")
            .register(registry);
    private final Histogram latency = Histogram.builder()
            .name(PREFIX + "http_request_duration_seconds")
            .help("Time from a request's headers to its answer, by endpoint")
            .labelNames("endpoint")
            .classicOnly()
            .classicUpperBounds(0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
            .register(registry);
    private final Histogram batchSize = Histogram.builder()
            .name(PREFIX + "batch_size")
            .help("Digits in each forward pass of the dynamic batcher")
            .classicOnly()
            .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
            .register(registry);
    private final Counter digits = Counter.builder()
            .name(PREFIX + "predictions_total")
            .help("Digits classified")
            .register(registry);

    /** @param queued the digits waiting for a forward pass now */
    ServerMetrics(IntSupplier queued) {
        GaugeWithCallback.builder()
                .name(PREFIX + "queued_digits")
                .help("Digits waiting for a forward pass")
                .callback(callback -> callback.call(queued.getAsInt()))
                .register(registry);
    }

    /** One answered request: its endpoint label, status code and time from arrival to answer. */
    void answered(String endpoint, int status, long nanos) {
        String code = Integer.toString(status);
        requests.labelValues(endpoint, code).inc();
        if (status >= 400) {
            errors.labelValues(code).inc();
        }
        latency.labelValues(endpoint).observe(nanos / 1e9);
    }

    /** One forward pass of {@code size} digits. */
    void pass(int size) {
        batchSize.observe(size);
        digits.inc(size);
    }

    String contentType() {
        return writer.getContentType();
    }

    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }
}
