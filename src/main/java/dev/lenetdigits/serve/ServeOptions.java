package dev.lenetdigits.serve;

import dev.lenetdigits.device.DeviceRequest;
import dev.lenetdigits.device.Precision;

import java.nio.file.Path;

/**
 * Everything {@code serve} is told: the model, where to listen, how to batch, and the limits that keep the
 * port safe. {@link #defaults(Path)} holds each default; {@link ServeMain} parses the flags into one of these.
 *
 * @param model          the model file
 * @param host           the address to bind (loopback unless told otherwise)
 * @param port           the port; 0 picks a free one
 * @param device         auto, cpu or cuda
 * @param precision      fp32 or bf16
 * @param threads        libtorch's threads for the forward passes; 0 means half the cores (at least 1)
 * @param tta            classify each digit also shifted by one pixel each way and average (5× the work)
 * @param maxBatch       the most digits in one forward pass
 * @param maxWaitMs      the longest a queued digit waits for company before its pass starts
 * @param maxQueue       the most digits waiting for a pass; beyond it requests get 503
 * @param maxInstances   the most digits in one {@code {"instances": ...}} request
 * @param maxBodyBytes   the largest request body
 * @param maxImagePixels the most pixels (width × height) an image may claim before it is decoded
 * @param readTimeoutMs  the time a client has to send a whole request, headers and body
 * @param drainTimeoutMs on SIGTERM, how long requests in flight are given to finish
 * @param apiKeyFile     a file whose first line is the key requests must carry as a Bearer token, or null
 */
public record ServeOptions(Path model, String host, int port, DeviceRequest device, Precision precision, int threads,
                           boolean tta, int maxBatch, int maxWaitMs, int maxQueue, int maxInstances, long maxBodyBytes,
                           long maxImagePixels, int readTimeoutMs, int drainTimeoutMs, Path apiKeyFile) {

    /** The defaults for a model file. */
    public static ServeOptions defaults(Path model) {
        return new ServeOptions(model, "127.0.0.1", 8080, DeviceRequest.AUTO, Precision.FP32, 0, false,
                256, 2, 4096, 1024, 5L * 1024 * 1024, 4096L * 4096, 10_000, 30_000, null);
    }

    public ServeOptions withPort(int p) {
        return new ServeOptions(model, host, p, device, precision, threads, tta, maxBatch, maxWaitMs, maxQueue,
                maxInstances, maxBodyBytes, maxImagePixels, readTimeoutMs, drainTimeoutMs, apiKeyFile);
    }

    public ServeOptions withHost(String h) {
        return new ServeOptions(model, h, port, device, precision, threads, tta, maxBatch, maxWaitMs, maxQueue,
                maxInstances, maxBodyBytes, maxImagePixels, readTimeoutMs, drainTimeoutMs, apiKeyFile);
    }

    public ServeOptions withBatching(int batch, int waitMs, int queue) {
        return new ServeOptions(model, host, port, device, precision, threads, tta, batch, waitMs, queue,
                maxInstances, maxBodyBytes, maxImagePixels, readTimeoutMs, drainTimeoutMs, apiKeyFile);
    }

    public ServeOptions withLimits(int instances, long bodyBytes, long imagePixels, int readTimeout, int drainTimeout) {
        return new ServeOptions(model, host, port, device, precision, threads, tta, maxBatch, maxWaitMs, maxQueue,
                instances, bodyBytes, imagePixels, readTimeout, drainTimeout, apiKeyFile);
    }

    public ServeOptions withDevice(DeviceRequest d, Precision p, int t, boolean shiftAveraged) {
        return new ServeOptions(model, host, port, d, p, t, shiftAveraged, maxBatch, maxWaitMs, maxQueue,
                maxInstances, maxBodyBytes, maxImagePixels, readTimeoutMs, drainTimeoutMs, apiKeyFile);
    }

    public ServeOptions withApiKeyFile(Path f) {
        return new ServeOptions(model, host, port, device, precision, threads, tta, maxBatch, maxWaitMs, maxQueue,
                maxInstances, maxBodyBytes, maxImagePixels, readTimeoutMs, drainTimeoutMs, f);
    }
}
