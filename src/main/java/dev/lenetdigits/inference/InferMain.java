package dev.lenetdigits.inference;

import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.DeviceRequest;
import dev.lenetdigits.device.DeviceSettings;
import dev.lenetdigits.device.Precision;
import dev.lenetdigits.serve.ServeMain;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code java -jar lenet-digits-infer.jar --model FILE [--top N] [--json] [--tta] INPUT...}: classifies
 * images and CSV/IDX files of digits, one output line per digit. Everything is read and checked before
 * anything is printed, so an error (one line on stderr, exit code 2) never leaves half an answer on stdout.
 *
 * <p>Its flags are few and fixed, so they are parsed here rather than by a CLI framework: the jar stays
 * small and the JVM starts faster (start-up to the first prediction is a target of this jar).
 */
public final class InferMain {
    /** Exit code for errors the user can fix, as in the training CLI. */
    public static final int USER_ERROR = 2;

    static final String NAME = "lenet-digits-infer";
    static final String USAGE = """
            Usage: java -jar lenet-digits-infer.jar --model FILE [--top N] [--json] [--tta]
                   [--device auto|cpu|cuda] [--precision fp32|bf16] INPUT...
            Classify handwritten digits with a model written by 'lenet-digits train'.

            Each INPUT is an image of one digit (PNG, JPEG, BMP or GIF; any size, colour or grey, dark ink on
            light paper or the reverse) or a file of 28x28 images (Kaggle CSV, .csv.gz, MNIST IDX, or Kaggle's
            digit-recognizer.zip, whose test.csv is read).
            One line per image or row: the input (with ':ROW', 1-based, for a CSV or IDX row), the predicted
            class (0-9) and its probability, separated by tabs.

              --model FILE    the model file (required)
              --top N         show the N most probable classes, each with its probability (1-10; default 1)
              --json          one JSON object per line: input, row, digit, probability, probabilities[10]
              --tta           also classify each image moved one pixel up, down, left and right, and average
                              the five answers (5x slower)
              --device D      auto (CUDA when libtorch sees a GPU, else the CPU), cpu or cuda (default: auto)
              --precision P   fp32, or bf16: convolutions and linear layers in bfloat16, faster on CPUs with
                              AVX512-BF16 or AMX and on recent GPUs; may change a rare close call (default: fp32)
              -h, --help      show this help
              -V, --version   show the version

            Exit codes: 0 success, 2 a bad flag, file or image (one line on stderr says which).

            java -jar lenet-digits-infer.jar serve --help: serve a model over HTTP (a JSON API and a page to
            draw digits on).
            """;

    private InferMain() {}

    /** What the command line asks for. */
    enum Action { RUN, HELP, VERSION }

    /** Parsed command line. */
    record Options(Action action, Path model, int top, boolean json, boolean tta, DeviceRequest device,
                   Precision precision, List<Path> inputs) {}

    public static void main(String[] args) {
        // stderr is for errors: no "device: cpu" log line unless asked for with -Dorg.slf4j.simpleLogger...
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        if (args.length > 0 && args[0].equals("serve")) {
            ServeMain.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the CLI, printing to the given streams, and returns its exit code (tests call this). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CompletableFuture<DigitClassifier> loading = null;
        try {
            Options options = parse(args);
            if (options.action() == Action.HELP) {
                out.print(USAGE);
                out.flush();
                return 0;
            }
            if (options.action() == Action.VERSION) {
                String version = InferMain.class.getPackage().getImplementationVersion();
                out.println(NAME + " " + (version == null ? "(development build)" : version));
                out.flush();
                return 0;
            }
            // Loading libtorch and the model takes most of the start-up: do it on a second thread while this
            // one reads and decodes the inputs.
            loading = CompletableFuture.supplyAsync(() -> load(options));
            List<Input> images;
            try {
                images = readImages(options.inputs());
            } catch (RuntimeException e) {
                // never leave while the other thread is inside libtorch; a bad model is reported before a bad input
                join(loading).close();
                throw e;
            }
            List<String> lines = new ArrayList<>();
            try (DigitClassifier classifier = join(loading)) {
                List<Input> inputs = readDigitFiles(images);
                for (Input input : inputs) {
                    List<Prediction> predictions = input.digits() != null
                            ? classifier.classifyAll(input.digits())
                            : List.of(classifier.classify(input.image()));
                    for (int i = 0; i < predictions.size(); i++) {
                        Integer row = input.digits() != null ? i + 1 : null;
                        lines.add(options.json() ? json(input.name(), row, predictions.get(i))
                                : text(input.name(), row, predictions.get(i), options.top()));
                    }
                }
            }
            StringBuilder all = new StringBuilder();
            lines.forEach(l -> all.append(l).append('\n'));
            out.print(all);
            out.flush();
            return 0;
        } catch (UserException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return USER_ERROR;
        }
    }

    /** Loads the natives and the model, and runs the network once so that the first real call is quick. */
    private static DigitClassifier load(Options options) {
        ComputeDevice device = new DeviceSettings(options.device(), 0, options.precision()).open();
        DigitClassifier classifier = DigitClassifier.load(options.model(), device, options.tta());
        classifier.classify(new byte[DigitSet.PIXELS]);
        return classifier;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw e;
        }
    }

    /** One input file: a decoded image (already in MNIST form) or a set of 28×28 digits. */
    private record Input(Path path, byte[] image, DigitSet digits) {
        String name() {
            return path.toString();
        }
    }

    /**
     * Decodes the images; files of digits are only checked to exist here and read by {@link #readDigitFiles}
     * once libtorch is loaded (they become tensors, and JavaCPP must not be initialised from two threads
     * at once: that deadlocks in its class initialisers). Image decoding is pure Java.
     */
    private static List<Input> readImages(List<Path> paths) {
        List<Input> inputs = new ArrayList<>();
        for (Path p : paths) {
            if (DigitImages.looksLikeImage(p)) {
                inputs.add(new Input(p, DigitImages.readMnist(p), null));
            } else {
                if (isImageName(p)) { // named like an image, but its content is not one
                    DigitImages.read(p); // throws the image reader's one-line error
                }
                inputs.add(new Input(p, null, null));
            }
        }
        return inputs;
    }

    private static List<Input> readDigitFiles(List<Input> inputs) {
        List<Input> out = new ArrayList<>(inputs.size());
        for (Input input : inputs) {
            out.add(input.image() != null ? input : new Input(input.path(), null, DigitFiles.read(input.path(), DigitFiles.KaggleFile.TEST)));
        }
        return out;
    }

    private static boolean isImageName(Path p) {
        String n = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp")
                || n.endsWith(".gif");
    }

    /** Parses the flags; a bad one is a {@link UserException}. */
    static Options parse(String[] args) {
        Path model = null;
        int top = 1;
        boolean json = false;
        boolean tta = false;
        DeviceRequest device = DeviceRequest.AUTO;
        Precision precision = Precision.FP32;
        List<Path> inputs = new ArrayList<>();
        boolean onlyInputs = false;
        CommandLineFlags flags = new CommandLineFlags(args, InferMain::usage);
        while (flags.next()) {
            String a = flags.argument();
            if (onlyInputs || !a.startsWith("-") || a.equals("-")) {
                inputs.add(Path.of(a));
                continue;
            }
            switch (flags.flag()) {
                case "--" -> onlyInputs = true;
                case "-h", "--help" -> {
                    return new Options(Action.HELP, null, 1, false, false, device, precision, List.of());
                }
                case "-V", "--version" -> {
                    return new Options(Action.VERSION, null, 1, false, false, device, precision, List.of());
                }
                case "--json" -> json = true;
                case "--tta" -> tta = true;
                case "--model" -> model = Path.of(flags.value());
                case "--top" -> top = flags.integer(1, 10);
                case "--device" -> device = flags.choice(DeviceRequest.class, "auto, cpu, cuda");
                case "--precision" -> precision = flags.choice(Precision.class, "fp32, bf16");
                default -> throw usage("unknown option '" + a + "'");
            }
        }
        if (model == null) {
            throw usage("--model FILE is required");
        }
        if (inputs.isEmpty()) {
            throw usage("no INPUT given: name one or more images or CSV files");
        }
        return new Options(Action.RUN, model, top, json, tta, device, precision, List.copyOf(inputs));
    }

    private static UserException usage(String message) {
        return new UserException(message + " (see '" + NAME + " --help')");
    }

    static String text(String input, Integer row, Prediction p, int top) {
        StringBuilder s = new StringBuilder(input);
        if (row != null) {
            s.append(':').append(row);
        }
        for (Prediction.Candidate c : p.top(top)) {
            s.append('\t').append(c.digit()).append('\t').append(String.format(Locale.ROOT, "%.4f", c.probability()));
        }
        return s.toString();
    }

    static String json(String input, Integer row, Prediction p) {
        StringBuilder s = new StringBuilder("{\"input\":");
        quote(s, input);
        if (row != null) {
            s.append(",\"row\":").append(row);
        }
        s.append(",\"digit\":").append(p.digit());
        s.append(",\"probability\":").append(number(p.probability()));
        s.append(",\"probabilities\":[");
        for (int d = 0; d < 10; d++) {
            s.append(d == 0 ? "" : ",").append(number(p.probability(d)));
        }
        return s.append("]}").toString();
    }

    private static String number(float f) {
        return String.format(Locale.ROOT, "%.6g", f);
    }

    private static void quote(StringBuilder s, String text) {
        s.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}
