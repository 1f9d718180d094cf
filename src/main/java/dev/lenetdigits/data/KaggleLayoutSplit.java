package dev.lenetdigits.data;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.UserException;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a labelled pool of digits as a Kaggle "Digit Recognizer" competition would ship it: a shuffled
 * {@code train.csv} (label,pixel0..pixel783), a {@code test.csv} without labels (pixel0..pixel783), and the
 * answer key Kaggle keeps to itself, {@code answers.csv} (ImageId,Label, ImageId 1-based in test.csv's
 * order). Kaggle's 42000/28000 files are themselves a split of MNIST's 70000 digits, so pooling MNIST's
 * training and test files and splitting them like this lets a recipe be scored offline the way the
 * leaderboard scores it.
 */
public final class KaggleLayoutSplit {
    public static final String TRAIN = "train.csv";
    public static final String TEST = "test.csv";
    public static final String ANSWERS = "answers.csv";

    private KaggleLayoutSplit() {}

    /** How many rows went where. */
    public record Counts(int train, int test) {}

    /**
     * Pools the labelled sets, shuffles them with {@code seed}, and writes {@code testRows} of them as the test
     * part and the rest as the training part into {@code outDir}. The three files appear together or not at all.
     */
    public static Counts write(Path outDir, int testRows, long seed, DigitSet... labeled) {
        int pooled = 0;
        for (DigitSet set : labeled) {
            pooled += set.requireLabels("; a Kaggle-layout split needs labelled digits").size();
        }
        int total = pooled;
        if (testRows < 1 || testRows >= total) {
            throw new UserException("--test-rows: '" + testRows + "' is not an integer 1-" + (total - 1)
                    + " (the pool holds " + total + " digits)");
        }
        byte[] pixels = new byte[total * DigitSet.PIXELS];
        int[] labels = new int[total];
        int at = 0;
        for (DigitSet set : labeled) {
            System.arraycopy(set.pixelBytes(), 0, pixels, at * DigitSet.PIXELS, set.size() * DigitSet.PIXELS);
            System.arraycopy(set.labelArray(), 0, labels, at, set.size());
            at += set.size();
        }
        int[] order = DigitSet.shuffledPositions(total, seed);
        int trainRows = total - testRows;
        // One set: train.csv must never sit beside a test.csv or answers.csv from another split.
        Map<Path, AtomicFiles.Writer> files = new LinkedHashMap<>();
        files.put(outDir.resolve(TRAIN), csv(pixels, labels, Arrays.copyOfRange(order, 0, trainRows)));
        files.put(outDir.resolve(TEST), csv(pixels, null, Arrays.copyOfRange(order, trainRows, total)));
        files.put(outDir.resolve(ANSWERS), tmp -> {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
                w.write("ImageId,Label\n");
                for (int i = trainRows; i < total; i++) {
                    w.write((i - trainRows + 1) + "," + labels[order[i]] + "\n");
                }
            }
        });
        AtomicFiles.writeAll(files);
        return new Counts(trainRows, testRows);
    }

    /**
     * Writes the digits at {@code rows} (positions in {@code pixels}, N×784 row-major) as a Kaggle CSV: with a
     * label column first when {@code labels} is given (train.csv), without one when it is null (test.csv).
     */
    public static void writeCsv(Path file, byte[] pixels, int[] labels, int[] rows) {
        AtomicFiles.write(file, csv(pixels, labels, rows));
    }

    private static AtomicFiles.Writer csv(byte[] pixels, int[] labels, int[] rows) {
        boolean withLabel = labels != null;
        return tmp -> {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
                StringBuilder line = new StringBuilder(4 * DigitSet.PIXELS);
                if (withLabel) {
                    line.append("label,");
                }
                for (int p = 0; p < DigitSet.PIXELS; p++) {
                    line.append(p == 0 ? "" : ",").append("pixel").append(p);
                }
                w.write(line.append('\n').toString());
                for (int row : rows) {
                    line.setLength(0);
                    if (withLabel) {
                        line.append(labels[row]).append(',');
                    }
                    int base = row * DigitSet.PIXELS;
                    for (int p = 0; p < DigitSet.PIXELS; p++) {
                        if (p > 0) {
                            line.append(',');
                        }
                        line.append(pixels[base + p] & 0xFF);
                    }
                    w.write(line.append('\n').toString());
                }
            }
        };
    }
}
