package dev.lenetdigits.serve;

import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.DeviceSettings;
import dev.lenetdigits.inference.DigitClassifier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The prediction service: a Jetty server in front of a {@link DigitClassifier} and its {@link Batcher}.
 *
 * <pre>{@code
 * try (DigitServer server = DigitServer.start(ServeOptions.defaults(Path.of("model.pt")).withPort(0))) {
 *     server.awaitReady();
 *     System.out.println(server.uri());
 * }
 * }</pre>
 *
 * <p>{@link #start} listens at once and loads the model on a second thread: {@code /healthz} answers
 * from the start, {@code /readyz} and the API once the model is loaded and warmed up. {@link #stop()}
 * stops listening, refuses new requests with 503, lets those in flight finish (up to the drain timeout),
 * then frees the model.
 */
public final class DigitServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DigitServer.class);

    private final ServeOptions options;
    private final ModelSlot slot = new ModelSlot();
    private final ServerMetrics metrics;
    private final Server server;
    private final ServerConnector connector;
    private final CompletableFuture<Void> loading = new CompletableFuture<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private DigitServer(ServeOptions options, byte[] apiKey) {
        this.options = options;
        this.metrics = new ServerMetrics(() -> {
            ModelSlot.Loaded loaded = slot.current();
            return loaded == null ? 0 : loaded.batcher().queued();
        });
        QueuedThreadPool threads = new QueuedThreadPool(200, 4);
        threads.setName("serve");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        // a connection with nothing to say is closed after this long; one that trickles is SlowHeaderGuard's
        connector.setIdleTimeout(Math.max(options.readTimeoutMs(), 30_000));
        connector.setAcceptQueueSize(1024);
        // while draining, connections silent this long are closed: idle keep-alive ones, and requests whose
        // client stopped sending; a request still arriving or waiting for its pass finishes
        connector.setShutdownIdleTimeout(Math.min(2_000, Math.max(1, options.drainTimeoutMs() / 2)));
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrors());
        server.setHandler(new GracefulHandler(new Routes(options, slot, metrics, apiKey, threads, server.getScheduler())));
        server.setStopTimeout(options.drainTimeoutMs());
        server.setStopAtShutdown(false); // stop() decides the order: the server first, then the model
    }

    /**
     * Listens on the options' host and port, and starts loading the model.
     *
     * @throws UserException when the API key file cannot be read or the address cannot be bound
     */
    public static DigitServer start(ServeOptions options) {
        byte[] key = options.apiKeyFile() == null ? null : readKey(options.apiKeyFile());
        DigitServer s = new DigitServer(options, key);
        s.listen();
        Thread loader = new Thread(s::load, "serve-loader");
        loader.setDaemon(true);
        loader.start();
        return s;
    }

    private void listen() {
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly();
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new UserException("cannot listen on " + options.host() + ":" + options.port() + " ("
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()) + ")");
        }
        SlowHeaderGuard guard = new SlowHeaderGuard(options.readTimeoutMs());
        long every = Math.max(50, options.readTimeoutMs() / 4);
        Runnable sweep = new Runnable() {
            @Override
            public void run() {
                if (!stopping.get()) {
                    guard.sweep(connector.getConnectedEndPoints());
                    server.getScheduler().schedule(this, every, TimeUnit.MILLISECONDS);
                }
            }
        };
        server.getScheduler().schedule(sweep, every, TimeUnit.MILLISECONDS);
    }

    private void load() {
        try {
            ComputeDevice device = new DeviceSettings(options.device(), forwardThreads(options.threads()),
                    options.precision()).open();
            DigitClassifier classifier = DigitClassifier.load(options.model(), device, options.tta());
            // the first passes of each size set up libtorch's kernels: do them before the first request
            for (int size : new int[] {1, Math.min(8, options.maxBatch()), options.maxBatch()}) {
                for (int i = 0; i < 3; i++) {
                    classifier.classifyAll(new byte[size][DigitSet.PIXELS]);
                }
            }
            Batcher batcher = new Batcher(classifier, options.maxBatch(), options.maxWaitMs(), options.maxQueue(),
                    server.getThreadPool(), metrics::pass);
            Path name = options.model().getFileName();
            byte[] description = Answers.model(classifier, name == null ? "" : name.toString(), options);
            if (!slot.ready(new ModelSlot.Loaded(classifier, batcher, description))) {
                batcher.close();
                classifier.close();
            }
            loading.complete(null);
        } catch (RuntimeException e) {
            slot.failed(e.getMessage());
            loading.completeExceptionally(e);
        }
    }

    /**
     * libtorch's threads: as asked, else half the cores (at least one). The other half read, parse and decode
     * requests while a pass runs (docs/serving.md has the comparison).
     */
    static int forwardThreads(int asked) {
        return asked > 0 ? asked : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /**
     * Waits until the model is loaded and warmed up.
     *
     * @throws UserException when the model could not be loaded (a missing or corrupt file, no such device)
     */
    public void awaitReady() {
        try {
            loading.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Where the model runs ("cpu (1 threads)"), or "-" before it is loaded. */
    public String device() {
        ModelSlot.Loaded loaded = slot.current();
        return loaded == null ? "-" : loaded.classifier().device().description();
    }

    /** The port it listens on (the chosen one when the options said 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port/}. */
    public URI uri() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** True when {@code host} is a loopback address (reachable from this machine only). */
    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    public void join() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops listening and refuses new requests (503), lets requests in flight finish (at most the drain
     * timeout), then frees the model. Calling it again does nothing.
     */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        ModelSlot.Loaded loaded = slot.stopping();
        stopQuietly();
        if (loaded != null) {
            loaded.batcher().close();
            loaded.classifier().close();
        }
        stopped.countDown();
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn(e instanceof TimeoutException
                    ? "stopped after the drain timeout (" + options.drainTimeoutMs() + " ms) with requests still in flight"
                    : "stopping the HTTP server: " + e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The key: the key file's first line, without surrounding blanks. */
    static byte[] readKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserException("--api-key-file: " + file + ": no such file");
        } catch (IOException e) {
            throw new UserException("--api-key-file: " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        String key = text.lines().findFirst().orElse("").trim();
        if (key.isEmpty()) {
            throw new UserException("--api-key-file: " + file + ": the first line is empty; put the key there");
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
