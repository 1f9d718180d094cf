package dev.lenetdigits.cli;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.scoring.SubmissionWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Classify every digit of a file and write a Kaggle submission (ImageId,Label).")
final class PredictCommand implements Runnable {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model written by train.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Digits to classify: Kaggle test.csv (a labelled file works too; labels are ignored), IDX, "
                    + "or Kaggle's digit-recognizer.zip (its test.csv is read).")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The submission CSV to write.")
    Path out;

    @Option(names = "--tta",
            description = "Test-time augmentation: also classify each digit moved one pixel up, down, left and right, "
                    + "and average the five answers (5× slower).")
    boolean tta;

    @Mixin
    DeviceOptions deviceOptions;

    @Override
    public void run() {
        AtomicFiles.refuseOverwrite(input, out);
        AtomicFiles.refuseOverwrite(model, out);
        ComputeDevice device = deviceOptions.open();
        predict(model, input, out, device, tta);
    }

    /** Digits read, classified and written at a time: bounds memory for inputs of any length. */
    static final int BLOCK_ROWS = 8192;

    static void predict(Path model, Path input, Path out, ComputeDevice device, boolean tta) {
        DigitClassifier classifier = DigitClassifier.load(model, device, tta);
        long t0 = System.nanoTime();
        long written = SubmissionWriter.write(out, rows -> DigitFiles.forEachBlock(input, DigitFiles.KaggleFile.TEST, BLOCK_ROWS,
                block -> rows.accept(classifier.predict(block).labels())));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%d predictions written to %s (%.2f s with reading, %.0f digits/s)%n",
                written, out, seconds, written / seconds);
    }
}
