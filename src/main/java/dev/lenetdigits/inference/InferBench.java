package dev.lenetdigits.inference;

import dev.lenetdigits.JavaCommand;
import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.DeviceRequest;
import dev.lenetdigits.device.DeviceSettings;
import dev.lenetdigits.device.Precision;
import org.bytedeco.javacpp.BytePointer;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Prints the inference jar's two figures:
 * <ol>
 *   <li>start-up: wall time from launching {@code java -jar lenet-digits-infer.jar --model M one.png} to its
 *       first line of output (the first prediction), over several launches;</li>
 *   <li>throughput: digits per second classified in batches by {@link DigitClassifier#classifyAll(byte[][])},
 *       in this process, after one warm-up pass.</li>
 * </ol>
 * <pre>
 * java -cp target/lenet-digits-infer.jar dev.lenetdigits.inference.InferBench --model runs/default/model.pt \
 *      --digits data/mnist/t10k-images-idx3-ubyte.gz [--png digit.png] [--runs 5] [--threads N]
 * </pre>
 * {@code --threads} sets libtorch's threads for the throughput figure (default 0: one per core). Without
 * {@code --png} it draws the first digit of {@code --digits} as a 280×280 dark-on-light PNG. The
 * figures depend on what else the machine is doing, so the load average is printed with them.
 */
public final class InferBench {
    private InferBench() {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Path model = null;
        Path digitsFile = null;
        Path png = null;
        int runs = 5;
        int threads = 0;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--model" -> model = Path.of(required(args[i], value));
                case "--digits" -> digitsFile = Path.of(required(args[i], value));
                case "--png" -> png = Path.of(required(args[i], value));
                case "--runs" -> runs = Integer.parseInt(required(args[i], value));
                case "--threads" -> threads = Integer.parseInt(required(args[i], value));
                default -> {
                    System.err.println("usage: InferBench --model FILE --digits FILE [--png FILE] [--runs N] [--threads N]");
                    System.exit(InferMain.USER_ERROR);
                }
            }
            i++;
        }
        if (model == null || digitsFile == null) {
            System.err.println("usage: InferBench --model FILE --digits FILE [--png FILE] [--runs N] [--threads N]");
            System.exit(InferMain.USER_ERROR);
        }
        try {
            run(model, digitsFile, png, runs, threads);
        } catch (UserException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(InferMain.USER_ERROR);
        }
    }

    private static String required(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }

    private static void run(Path model, Path digitsFile, Path png, int runs, int threads) throws Exception {
        DigitSet digits = DigitFiles.read(digitsFile, DigitFiles.KaggleFile.TEST);
        byte[][] pixels = toArrays(digits);
        System.out.printf(Locale.ROOT, "machine: %d cores, load average %.2f, java %s%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(), System.getProperty("java.version"));

        // 1. start-up to the first prediction, in fresh JVMs
        Path jar = ownJar();
        if (jar == null) {
            System.out.println("start-up: skipped (run from lenet-digits-infer.jar to measure it)");
        } else {
            Path image = png != null ? png : drawFirstDigit(pixels[0]);
            double[] seconds = new double[runs];
            String line = null;
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                Process p = JavaCommand.jar(jar).arguments(List.of("--model", model.toString(), image.toString()))
                        .processBuilder().redirectError(ProcessBuilder.Redirect.INHERIT).start();
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    line = out.readLine();
                    seconds[r] = (System.nanoTime() - t0) / 1e9;
                    out.transferTo(Writer.nullWriter());
                }
                if (p.waitFor() != 0 || line == null) {
                    throw new IllegalStateException("java -jar " + jar + " failed (exit " + p.exitValue() + ")");
                }
            }
            Arrays.sort(seconds);
            System.out.printf(Locale.ROOT, "start-up: java -jar %s --model %s %s -> first prediction \"%s\"%n",
                    jar.getFileName(), model.getFileName(), image.getFileName(), line);
            System.out.printf(Locale.ROOT, "start-up to first prediction: median %.3f s (min %.3f, max %.3f, %d launches)%n",
                    seconds[runs / 2], seconds[0], seconds[runs - 1], runs);
        }

        // 2. batched throughput in this process
        ComputeDevice device = new DeviceSettings(DeviceRequest.AUTO, threads, Precision.FP32).open();
        try (DigitClassifier classifier = DigitClassifier.load(model, device)) {
            classifier.classifyAll(pixels); // warm-up
            double[] rates = new double[runs];
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                List<Prediction> predictions = classifier.classifyAll(pixels);
                rates[r] = predictions.size() / ((System.nanoTime() - t0) / 1e9);
            }
            Arrays.sort(rates);
            String accuracy = "";
            if (digits.hasLabels()) {
                int[] labels = digits.labelArray();
                List<Prediction> predictions = classifier.classifyAll(pixels);
                int right = 0;
                for (int i = 0; i < labels.length; i++) {
                    right += predictions.get(i).digit() == labels[i] ? 1 : 0;
                }
                accuracy = String.format(Locale.ROOT, ", accuracy %.2f%%", 100.0 * right / labels.length);
            }
            System.out.printf(Locale.ROOT, "throughput: classifyAll of %d digits in batches of %d on %s: median %.0f digits/s "
                            + "(min %.0f, max %.0f, %d runs%s)%n", pixels.length, DigitClassifier.BATCH,
                    classifier.device().description(), rates[runs / 2], rates[0], rates[runs - 1], runs, accuracy);
            int singles = Math.min(1000, pixels.length);
            long t0 = System.nanoTime();
            for (int i = 0; i < singles; i++) {
                classifier.classify(pixels[i]);
            }
            double ms = (System.nanoTime() - t0) / 1e6 / singles;
            System.out.printf(Locale.ROOT, "one at a time: classify(byte[]) %.2f ms per digit (%.0f digits/s, %d calls)%n",
                    ms, 1000 / ms, singles);
        }
        System.out.printf(Locale.ROOT, "load average after: %.2f%n", loadAverage());
    }

    private static byte[][] toArrays(DigitSet digits) {
        byte[] all = new byte[digits.size() * DigitSet.PIXELS];
        new BytePointer(digits.images().contiguous().data_ptr()).get(all);
        byte[][] out = new byte[digits.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.copyOfRange(all, i * DigitSet.PIXELS, (i + 1) * DigitSet.PIXELS);
        }
        return out;
    }

    /** The first digit drawn 10× larger, dark on light, as a PNG in a temporary folder. */
    private static Path drawFirstDigit(byte[] digit) throws IOException {
        BufferedImage image = new BufferedImage(280, 280, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 280; y++) {
            for (int x = 0; x < 280; x++) {
                int v = 255 - (digit[(y / 10) * DigitSet.SIDE + x / 10] & 0xff);
                image.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        Path file = Files.createTempDirectory("infer-bench").resolve("digit.png");
        ImageIO.write(image, "png", file.toFile());
        file.toFile().deleteOnExit();
        file.getParent().toFile().deleteOnExit();
        return file;
    }

    private static Path ownJar() {
        try {
            Path p = Path.of(InferBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
