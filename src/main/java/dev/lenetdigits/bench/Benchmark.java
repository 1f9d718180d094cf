package dev.lenetdigits.bench;

import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.data.KaggleLayoutSplit;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.GpuMemory;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.model.Architectures;
import dev.lenetdigits.training.EpochResult;
import dev.lenetdigits.training.Recipe;
import dev.lenetdigits.training.Trainer;
import dev.lenetdigits.training.TrainingListener;
import dev.lenetdigits.training.TrainingOptions;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Measures the figures users compare tools by, on the reference LeNet (or another recipe's network, to see
 * what an epoch of it costs): training images/s (after a warm-up), inference images/s over the test digits
 * in large batches (median of three passes), seconds per epoch, the Kaggle CSV loader's rows/s, and native
 * memory growth between the end of the first and the last epoch (on CUDA also the GPU memory held by tensors,
 * as the caching allocator counts it: see {@link GpuMemory}).
 */
public final class Benchmark {
    /** Steps excluded from the training figure: the first ones pay for allocator and kernel warm-up. */
    public static final int WARM_UP_STEPS = 20;
    /** Timed passes over the test digits; the inference figure is their median. */
    static final int INFERENCE_PASSES = 3;

    /**
     * What {@link #run} measured.
     *
     * @param gpuMemGrowthMb growth of the GPU memory held by tensors from the end of the first epoch to the end of
     *                       the last; NaN on the CPU
     */
    public record Figures(String recipe, String device, int threads, int batchSize, double trainImagesPerSecond,
                          double inferImagesPerSecond, double epochSeconds, double csvRowsPerSecond,
                          double rssGrowthMb, double gpuMemGrowthMb, double testAccuracy) {
        /** The one line {@code bench} prints last; gpu_mem_growth_mb only on CUDA. */
        public String format() {
            String gpu = Double.isNaN(gpuMemGrowthMb) ? "" : String.format(Locale.ROOT, " gpu_mem_growth_mb=%.1f", gpuMemGrowthMb);
            return String.format(Locale.ROOT,
                    "bench recipe=%s device=%s threads=%d batch=%d train_img_per_s=%.1f infer_img_per_s=%.1f epoch_s=%.2f "
                            + "csv_rows_per_s=%.0f rss_growth_mb=%.1f%s test_acc=%.4f",
                    recipe, device, threads, batchSize, trainImagesPerSecond, inferImagesPerSecond, epochSeconds,
                    csvRowsPerSecond, rssGrowthMb, gpu, testAccuracy);
        }
    }

    private final ComputeDevice device;
    private final int threads;
    private final PrintStream log;

    public Benchmark(ComputeDevice device, int threads, PrintStream log) {
        this.device = device;
        this.threads = threads;
        this.log = log;
    }

    /**
     * @param train    labelled training digits
     * @param test     labelled test digits for the inference figure
     * @param csvFile  a Kaggle-layout train.csv to time the loader on
     * @param view     how the recipe's network sees digits ({@link Architectures#withView})
     */
    public Figures run(DigitSet train, DigitSet test, Path csvFile, Recipe recipe, String view, int batchSize,
                       int epochs) {
        double csvRowsPerSecond = timeCsv(csvFile);

        TrainingOptions options = options(recipe, view, batchSize, epochs).withPrecision(device.precision());
        Clock clock = new Clock();
        Trainer.Result result = new Trainer(options, device, clock).train(train, null);
        double trainSeconds = (clock.end - clock.warm) / 1e9;
        double trainImagesPerSecond = clock.imagesAfterWarmUp / trainSeconds;
        double epochSeconds = result.epochs().stream().mapToDouble(EpochResult::seconds).average().orElse(Double.NaN);
        double rssGrowthMb = epochs < 2 ? 0 : (clock.rssLast - clock.rssFirst) / 1e6;
        double gpuMemGrowthMb = !device.isCuda() ? Double.NaN : epochs < 2 ? 0 : (clock.gpuLast - clock.gpuFirst) / 1e6;

        DigitClassifier classifier = new DigitClassifier(result.network(), result.info(), device);
        classifier.predict(test.select(range(Math.min(2000, test.size())), "warm-up")); // warm-up
        // One pass is short enough that a single stall of the machine moves it; the median of three is steadier.
        double[] passSeconds = new double[INFERENCE_PASSES];
        int[] predicted = null;
        for (int pass = 0; pass < INFERENCE_PASSES; pass++) {
            long t0 = System.nanoTime();
            predicted = classifier.predict(test).labels();
            passSeconds[pass] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(passSeconds);
        double inferSeconds = passSeconds[INFERENCE_PASSES / 2];
        int[] truth = test.labelArray();
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            correct += truth[i] == predicted[i] ? 1 : 0;
        }
        String timed = view.equals(Architectures.PLAIN) ? recipe.toString() : recipe + "+" + view;
        return new Figures(timed, device.kind(), threads, batchSize, trainImagesPerSecond, test.size() / inferSeconds,
                epochSeconds, csvRowsPerSecond, rssGrowthMb, gpuMemGrowthMb, (double) correct / truth.length);
    }

    /**
     * The settings timed: for lenet the reference run (the figures in docs/performance.md), for another
     * recipe its own network, augmentation and schedule. All digits train (no validation split), so the
     * figures compare across recipes. Also validates the flags, so call it before any slow work.
     */
    public static TrainingOptions options(Recipe recipe, String view, int batchSize, int epochs) {
        TrainingOptions.Builder timed = recipe.defaults().toBuilder()
                .architecture(Architectures.withView(recipe.defaults().architecture(), view))
                .epochs(epochs)
                .batchSize(batchSize)
                .seed(42)
                .valSplit(0)
                .restoreBest(false);
        if (recipe == Recipe.LENET) {
            timed.lr(0.01).lrDecay(1.0); // the reference run, as first measured
        }
        return timed.build();
    }

    private double timeCsv(Path csvFile) {
        DigitFiles.read(csvFile); // warm the page cache and the JIT
        long t0 = System.nanoTime();
        int rows = DigitFiles.read(csvFile).size();
        double seconds = (System.nanoTime() - t0) / 1e9;
        log.printf(Locale.ROOT, "csv: %d rows of %s parsed and validated in %.2f s%n", rows, csvFile, seconds);
        return rows / seconds;
    }

    /** Writes the first {@code rows} digits of a labelled set as a Kaggle-layout train.csv. */
    public static Path writeKaggleCsv(DigitSet digits, int rows, Path out) {
        KaggleLayoutSplit.writeCsv(out, digits.pixelBytes(), digits.labelArray(), range(Math.min(rows, digits.size())));
        return out;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** Timestamps the end of the warm-up and of each epoch, and samples RSS (and GPU memory) at epoch ends. */
    private final class Clock implements TrainingListener {
        long warm;
        long end;
        long imagesAfterWarmUp;
        long rssFirst;
        long rssLast;
        long gpuFirst;
        long gpuLast;
        private long imagesThisEpoch;
        private int epoch;

        @Override
        public void epochStarted(int epoch, int epochs, int steps) {
            this.epoch = epoch;
            imagesThisEpoch = 0;
        }

        @Override
        public void stepFinished(int step, long images, double runningLoss) {
            long batch = images - imagesThisEpoch;
            imagesThisEpoch = images;
            if (epoch == 1 && step == WARM_UP_STEPS) {
                warm = System.nanoTime();
            } else if (epoch > 1 || step > WARM_UP_STEPS) {
                imagesAfterWarmUp += batch;
            }
        }

        @Override
        public void epochFinished(EpochResult result) {
            end = System.nanoTime();
            long rss = ProcessMemory.residentBytes();
            Optional<GpuMemory> memory = GpuMemory.of(device);
            long gpu = memory.map(GpuMemory::allocatedBytes).orElse(0L);
            if (result.epoch() == 1) {
                rssFirst = rss;
                gpuFirst = gpu;
            }
            rssLast = rss;
            gpuLast = gpu;
            log.println(result.format() + String.format(Locale.ROOT, "  rss %.0f MB", rss / 1e6)
                    + memory.map(m -> "  GPU " + m.format()).orElse(""));
        }
    }
}
