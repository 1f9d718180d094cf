package dev.lenetdigits.serve;

import dev.lenetdigits.UserException;
import dev.lenetdigits.device.DeviceRequest;
import dev.lenetdigits.device.Precision;
import dev.lenetdigits.inference.CommandLineFlags;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code java -jar lenet-digits-infer.jar serve --model FILE ...}: the HTTP prediction service. Parses the
 * flags, starts a {@link DigitServer}, and on SIGTERM (or Ctrl-C) lets requests in flight finish before
 * the process ends.
 */
public final class ServeMain {
    static final String USAGE = """
            Usage: java -jar lenet-digits-infer.jar serve --model FILE [--host 127.0.0.1] [--port 8080]
                   [--device auto|cpu|cuda] [--precision fp32|bf16] [--threads N] [--tta]
                   [--max-batch 256] [--max-wait-ms 2] [--api-key-file FILE] [limits...]
            Serve a model written by 'lenet-digits train' over HTTP: a JSON API and a page to draw digits on.

              POST /v1/predict   an image (Content-Type image/png, image/jpeg, image/bmp or image/gif),
                                 {"pixels": [784 integers 0-255]} or {"instances": [[784], ...]}
              GET  /v1/model     the model: architecture, members, training record, input normalisation
              GET  /healthz      200 while the process is up
              GET  /readyz       200 once the model is loaded and warmed up, else 503
              GET  /metrics      requests, errors, latency and batch sizes in the Prometheus text format
              GET  /             the draw-a-digit page

              --model FILE          the model file (required)
              --host ADDRESS        the address to listen on (default: 127.0.0.1, this machine only)
              --port N              the port; 0 picks a free one (default: 8080)
              --device D            auto, cpu or cuda (default: auto)
              --precision P         fp32 or bf16 (default: fp32)
              --threads N           libtorch's threads for the forward passes (default: half the cores, at
                                    least 1; the other cores read, parse and decode requests)
              --tta                 also classify each digit moved one pixel each way and average (5x the work)
              --max-batch N         the most digits in one forward pass (default: 256)
              --max-wait-ms N       the longest a digit waits for others to share its pass; only while
                                    other requests are arriving (default: 2)
              --api-key-file FILE   requests to /v1/* and /metrics must carry 'Authorization: Bearer KEY',
                                    KEY being the file's first line; others get 401
            Limits (a request over one gets its 4xx or 503 and one line of JSON saying which):
              --max-body-mb N       the largest request body, in MiB (default: 5)
              --max-instances N     the most digits in one {"instances": ...} request (default: 1024)
              --max-image-pixels N  the most pixels an image may claim; read from its header before
                                    decoding (default: 16777216, 4096x4096)
              --max-queue N         the most digits waiting for a pass; beyond it 503 (default: 4096)
              --read-timeout-ms N   the time a client has to send a whole request (default: 10000)
              --drain-timeout-ms N  on SIGTERM, the time requests in flight get to finish (default: 30000)
              -h, --help            show this help

            Exit codes: 0 after a clean stop (143 when stopped by SIGTERM), 2 a bad flag, file or address.
            """;

    private ServeMain() {}

    public static void main(String[] args) {
        int code = run(System.err, args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Serves until stopped; returns the exit code for a bad flag, file or address. */
    static int run(PrintStream err, String... args) {
        ServeOptions options;
        try {
            options = parse(args);
        } catch (UserException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (options == null) {
            System.out.print(USAGE);
            System.out.flush();
            return 0;
        }
        DigitServer server;
        try {
            server = DigitServer.start(options);
        } catch (UserException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        String warning = exposureWarning(options.host(), server.port(), options.apiKeyFile() != null);
        if (warning != null) {
            err.println(warning);
        }
        try {
            server.awaitReady();
        } catch (UserException e) {
            err.println("error: " + e.getMessage());
            server.stop();
            return 2;
        }
        // SIGTERM or Ctrl-C: refuse new requests, finish those in flight, then end
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("serve: stopping; requests in flight may take up to " + options.drainTimeoutMs()
                    + " ms to finish");
            server.stop();
            err.println("serve: stopped");
        }, "serve-shutdown"));
        err.println("serve: ready on " + server.uri() + " (" + options.model() + ", " + server.device() + ")");
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The one-line warning for listening where other machines can reach it without a key; null when safe. */
    static String exposureWarning(String host, int port, boolean hasKey) {
        if (hasKey || DigitServer.isLoopback(host)) {
            return null;
        }
        return "warning: listening on " + host + " without --api-key-file: anyone who can reach port " + port
                + " can use the model and read its metrics";
    }

    /** The options the flags say, or null for --help. */
    static ServeOptions parse(String[] args) {
        Path model = null;
        ServeOptions o = ServeOptions.defaults(null);
        String host = o.host();
        int port = o.port();
        DeviceRequest device = o.device();
        Precision precision = o.precision();
        int threads = o.threads();
        boolean tta = o.tta();
        int maxBatch = o.maxBatch();
        int maxWaitMs = o.maxWaitMs();
        int maxQueue = o.maxQueue();
        int maxInstances = o.maxInstances();
        long maxBodyBytes = o.maxBodyBytes();
        long maxImagePixels = o.maxImagePixels();
        int readTimeoutMs = o.readTimeoutMs();
        int drainTimeoutMs = o.drainTimeoutMs();
        Path apiKeyFile = null;
        CommandLineFlags flags = new CommandLineFlags(args, ServeMain::usage);
        while (flags.next()) {
            String flag = flags.flag();
            switch (flag) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--tta" -> tta = true;
                default -> {
                    if (!flag.startsWith("--")) {
                        throw usage("unexpected argument '" + flags.argument() + "'");
                    }
                    String value = flags.value(); // taken before the name is checked, as ever
                    switch (flag) {
                        case "--model" -> model = Path.of(value);
                        case "--host" -> host = value;
                        case "--port" -> port = flags.integer(0, 65535);
                        case "--device" -> device = flags.choice(DeviceRequest.class, "auto, cpu, cuda");
                        case "--precision" -> precision = flags.choice(Precision.class, "fp32, bf16");
                        case "--threads" -> threads = flags.integer(0, 1024);
                        case "--max-batch" -> maxBatch = flags.integer(1, 4096);
                        case "--max-wait-ms" -> maxWaitMs = flags.integer(0, 1000);
                        case "--max-queue" -> maxQueue = flags.integer(1, 1_000_000);
                        case "--max-instances" -> maxInstances = flags.integer(1, 100_000);
                        case "--max-body-mb" -> maxBodyBytes = flags.integer(1, 1024) * 1024L * 1024L;
                        case "--max-image-pixels" -> maxImagePixels = flags.integer(1, 1 << 28);
                        case "--read-timeout-ms" -> readTimeoutMs = flags.integer(100, 3_600_000);
                        case "--drain-timeout-ms" -> drainTimeoutMs = flags.integer(0, 3_600_000);
                        case "--api-key-file" -> apiKeyFile = Path.of(value);
                        default -> throw usage("unknown option '" + flag + "'");
                    }
                }
            }
        }
        if (model == null) {
            throw usage("--model FILE is required");
        }
        if (maxInstances > maxQueue) {
            throw usage("--max-instances " + maxInstances + " is more than --max-queue " + maxQueue
                    + ": such a request could never be queued");
        }
        return new ServeOptions(model, host, port, device, precision, threads, tta, maxBatch, maxWaitMs, maxQueue,
                maxInstances, maxBodyBytes, maxImagePixels, readTimeoutMs, drainTimeoutMs, apiKeyFile);
    }

    private static UserException usage(String message) {
        return new UserException(message + " (see 'lenet-digits-infer serve --help')");
    }
}
