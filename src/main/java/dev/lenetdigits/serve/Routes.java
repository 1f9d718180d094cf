package dev.lenetdigits.serve;

import dev.lenetdigits.inference.DigitImages;
import dev.lenetdigits.inference.NoInkException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server's endpoints: {@code POST /v1/predict}, {@code GET /v1/model}, {@code /healthz}, {@code /readyz},
 * {@code /metrics} and the page at {@code /}. Every refusal is a status code and one line of JSON.
 *
 * <p>{@link #handle} never blocks: a body is read asynchronously under a deadline, then parsed or decoded on
 * one of the server's threads, then waits for its forward pass in the {@link Batcher} without holding a
 * thread, and the answer is written when the pass is done.
 */
final class Routes extends Handler.Abstract.NonBlocking {
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
    static final String JSON = "application/json";

    private final ServeOptions options;
    private final ModelSlot model;
    private final ServerMetrics metrics;
    private final StaticPage page = new StaticPage();
    private final byte[] apiKey;
    private final Executor executor;
    private final Scheduler scheduler;
    /** Images decode on at most one thread per core: more would only add memory, not speed. */
    private final Semaphore decoding = new Semaphore(Runtime.getRuntime().availableProcessors());

    /** @param apiKey the key requests to the API must carry as a Bearer token, or null for none */
    Routes(ServeOptions options, ModelSlot model, ServerMetrics metrics, byte[] apiKey, Executor executor,
           Scheduler scheduler) {
        this.options = options;
        this.model = model;
        this.metrics = metrics;
        this.apiKey = apiKey;
        this.executor = executor;
        this.scheduler = scheduler;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String path = Request.getPathInContext(request);
        String endpoint = endpoint(path);
        Request.addCompletionListener(request, failure ->
                metrics.answered(endpoint, response.getStatus(), System.nanoTime() - start));
        try {
            switch (path) {
                case "/v1/predict" -> predict(request, response, callback);
                case "/v1/model" -> {
                    allow(request, "GET");
                    authorize(request);
                    send(response, callback, 200, JSON, model.require().description());
                }
                case "/healthz" -> {
                    allow(request, "GET");
                    send(response, callback, 200, JSON, Answers.status("up"));
                }
                case "/readyz" -> {
                    allow(request, "GET");
                    String notReady = model.notReady();
                    send(response, callback, notReady == null ? 200 : 503, JSON,
                            Answers.status(notReady == null ? "ready" : notReady));
                }
                case "/metrics" -> {
                    allow(request, "GET");
                    authorize(request);
                    send(response, callback, 200, metrics.contentType(), metrics.scrape());
                }
                default -> {
                    StaticPage.File file = page.get(path);
                    if (file == null) {
                        throw new ApiException(404, "no such endpoint: " + clip(path)
                                + " (POST /v1/predict, GET /v1/model, /healthz, /readyz, /metrics, /)");
                    }
                    allow(request, "GET");
                    response.getHeaders().put("Content-Security-Policy", StaticPage.CONTENT_SECURITY_POLICY);
                    send(response, callback, 200, file.contentType(), file.bytes());
                }
            }
        } catch (ApiException e) {
            refuse(response, callback, e);
        }
        return true;
    }

    /** The endpoint label for the metrics: a fixed set, so that odd paths cannot make new series. */
    private String endpoint(String path) {
        return switch (path) {
            case "/v1/predict", "/v1/model", "/healthz", "/readyz", "/metrics" -> path;
            default -> page.get(path) != null ? "page" : "other";
        };
    }

    private enum BodyKind { JSON, IMAGE }

    private void predict(Request request, Response response, Callback callback) {
        allow(request, "POST");
        authorize(request);
        ModelSlot.Loaded loaded = model.require();
        BodyKind kind = bodyKind(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
        long length = request.getLength();
        if (length > options.maxBodyBytes()) {
            throw tooLarge();
        }
        Batcher batcher = loaded.batcher();
        batcher.arriving();
        // the whole request, headers included, must arrive within the read timeout
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime());
        Scheduler.Task deadline = scheduler.schedule(() -> request.fail(new ReadDeadline()),
                Math.max(1, options.readTimeoutMs() - elapsedMs), TimeUnit.MILLISECONDS);
        BodyReader.read(request, (int) options.maxBodyBytes()).whenComplete((body, failure) -> {
            deadline.cancel();
            // never parse here: this may be Jetty's I/O thread
            executor.execute(() -> {
                if (failure != null) {
                    batcher.abandon();
                    bodyFailed(response, callback, failure);
                } else {
                    answer(body, kind, loaded, response, callback);
                }
            });
        });
    }

    /** The read timeout of {@link #predict}, told apart from Jetty's idle timeout. */
    private static final class ReadDeadline extends TimeoutException {
        ReadDeadline() {
            super("read timeout");
        }
    }

    private void bodyFailed(Response response, Callback callback, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        ApiException refusal;
        if (cause instanceof ReadDeadline) {
            refusal = new ApiException(408, "the request took longer than " + options.readTimeoutMs()
                    + " ms to arrive", Map.of("Connection", "close"));
        } else if (cause instanceof TimeoutException) {
            refusal = new ApiException(408, "the client stopped sending the body", Map.of("Connection", "close"));
        } else if (cause instanceof BodyReader.TooLarge) {
            refusal = tooLarge();
        } else {
            callback.failed(cause); // the client went away: nobody to answer
            return;
        }
        refuse(response, callback, refusal);
    }

    private ApiException tooLarge() {
        return new ApiException(413, "the body is larger than " + options.maxBodyBytes() + " bytes",
                Map.of("Connection", "close"));
    }

    /** On one of the server's threads: parse or decode, queue for a pass, and answer when it is done. */
    private void answer(byte[] body, BodyKind kind, ModelSlot.Loaded loaded, Response response, Callback callback) {
        Batcher batcher = loaded.batcher();
        byte[][] digits;
        boolean single;
        byte[] seen = null;
        try {
            if (kind == BodyKind.JSON) {
                PredictBodies.Digits parsed = PredictBodies.json(body, options.maxInstances());
                digits = parsed.digits();
                single = parsed.single();
            } else {
                seen = decode(body);
                digits = new byte[][] {seen};
                single = true;
            }
        } catch (ApiException e) {
            batcher.abandon();
            refuse(response, callback, e);
            return;
        } catch (RuntimeException e) {
            batcher.abandon();
            LOG.error("reading a request body failed", e); // a bug, not the client's doing
            refuse(response, callback, new ApiException(500, "internal error: " + e.getClass().getSimpleName()));
            return;
        }
        byte[] image = seen;
        try {
            batcher.submit(digits).whenComplete((predictions, failure) -> {
                if (failure != null) {
                    LOG.error("forward pass failed", failure);
                    refuse(response, callback, new ApiException(500, "internal error in the forward pass: "
                            + failure.getClass().getSimpleName()));
                } else {
                    send(response, callback, 200, JSON, single
                            ? Answers.prediction(predictions.get(0), image)
                            : Answers.predictions(predictions));
                }
            });
        } catch (ApiException e) {
            refuse(response, callback, e);
        }
    }

    /** An image body in MNIST's form, exactly as {@link DigitImages} brings any picture to it. */
    private byte[] decode(byte[] body) {
        decoding.acquireUninterruptibly();
        try {
            BufferedImage image = PredictBodies.image(body, options.maxImagePixels());
            return DigitImages.toMnist(image, "image");
        } catch (NoInkException e) {
            throw new ApiException(422, e.getMessage());
        } finally {
            decoding.release();
        }
    }

    private static BodyKind bodyKind(String contentType) {
        if (contentType == null) {
            throw new ApiException(415, "no Content-Type: send application/json or the image's type (image/png, "
                    + "image/jpeg, image/bmp, image/gif)");
        }
        String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (base.equals(JSON)) {
            return BodyKind.JSON;
        }
        if (base.startsWith("image/")) {
            return BodyKind.IMAGE;
        }
        throw new ApiException(415, "Content-Type " + clip(base) + " is not accepted: send application/json or "
                + "an image (image/png, image/jpeg, image/bmp, image/gif)");
    }

    private static void allow(Request request, String method) {
        String m = request.getMethod();
        boolean ok = m.equals(method) || (method.equals("GET") && m.equals(HttpMethod.HEAD.asString()));
        if (!ok) {
            throw new ApiException(405, clip(m) + " is not allowed here: use " + method, Map.of("Allow",
                    method.equals("GET") ? "GET, HEAD" : method));
        }
    }

    private void authorize(Request request) {
        if (apiKey == null) {
            return;
        }
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        Map<String, String> challenge = Map.of("WWW-Authenticate", "Bearer realm=\"lenet-digits\"");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "this server needs an API key: send 'Authorization: Bearer <key>'", challenge);
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, apiKey)) { // in constant time
            throw new ApiException(401, "wrong API key", challenge);
        }
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    private void refuse(Response response, Callback callback, ApiException e) {
        e.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        send(response, callback, e.status(), JSON, Answers.error(e.getMessage()));
    }

    static void send(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
