package dev.lenetdigits.scoring;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.UserException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Scores a submission the way the Digit Recognizer leaderboard does: the fraction of ImageIds whose Label
 * matches the answer key. Both files are {@code ImageId,Label} with ImageIds 1, 2, 3, … in order; anything
 * else is refused with the file and line, as Kaggle refuses a malformed submission.
 */
public final class SubmissionScore {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();

    private final boolean[] right;
    private final int correct;

    private SubmissionScore(boolean[] right) {
        this.right = right;
        int count = 0;
        for (boolean r : right) {
            count += r ? 1 : 0;
        }
        this.correct = count;
    }

    public static SubmissionScore of(Path submission, Path answers) {
        int[] predicted = readLabels(submission);
        int[] truth = readLabels(answers);
        if (predicted.length != truth.length) {
            throw new UserException(submission + ": has " + predicted.length + " rows, but " + answers + " has "
                    + truth.length);
        }
        boolean[] right = new boolean[truth.length];
        for (int i = 0; i < truth.length; i++) {
            right[i] = predicted[i] == truth[i];
        }
        return new SubmissionScore(right);
    }

    public int correct() {
        return correct;
    }

    public int total() {
        return right.length;
    }

    /** The leaderboard's number: correct / total. */
    public double accuracy() {
        return (double) correct / right.length;
    }

    /**
     * The scores of {@code draws} random subsets of the rows, each holding {@code share} of them (at least
     * one row; rows drawn without replacement, seeded), sorted ascending: what a leaderboard that scores
     * only part of test.csv could show for this submission. Kaggle's public Digit Recognizer leaderboard
     * scores about 25% of it, 7000 digits, on which one digit is 0.00014.
     */
    public double[] subsetScores(double share, int draws, long seed) {
        if (!(share > 0 && share <= 1) || draws < 1) {
            throw new IllegalArgumentException("share " + share + ", draws " + draws);
        }
        int rows = subsetRows(share);
        int[] order = new int[right.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] scores = new double[draws];
        for (int d = 0; d < draws; d++) {
            int hits = 0;
            for (int i = 0; i < rows; i++) { // the first `rows` steps of a Fisher-Yates shuffle
                int j = i + random.nextInt(order.length - i);
                int picked = order[j];
                order[j] = order[i];
                order[i] = picked;
                hits += right[picked] ? 1 : 0;
            }
            scores[d] = (double) hits / rows;
        }
        Arrays.sort(scores);
        return scores;
    }

    /** How many rows a subset holding {@code share} of them has: at least one. */
    public int subsetRows(double share) {
        return Math.max(1, (int) Math.round(share * right.length));
    }

    /** The Label column of an {@code ImageId,Label} file, checked row by row. */
    static int[] readLabels(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = FORMAT.parse(in)) {
            int[] labels = new int[1024];
            int count = 0;
            boolean header = true;
            for (CSVRecord row : parser) {
                long line = parser.getCurrentLineNumber();
                if (header) {
                    String first = row.get(0).startsWith("\uFEFF") ? row.get(0).substring(1) : row.get(0);
                    if (row.size() != 2 || !first.trim().equals("ImageId") || !row.get(1).trim().equals("Label")) {
                        throw new UserException(file + ": line " + line + ": the header is not 'ImageId,Label'");
                    }
                    header = false;
                    continue;
                }
                if (row.size() != 2) {
                    throw new UserException(file + ": line " + line + ": expected 2 fields (ImageId,Label), found "
                            + row.size());
                }
                int id = parse(row.get(0), file, line, "ImageId");
                if (id != count + 1) {
                    throw new UserException(file + ": line " + line + ": ImageId " + id + " where " + (count + 1)
                            + " was expected (ImageIds run 1, 2, 3, … in test.csv's order)");
                }
                int label = parse(row.get(1), file, line, "Label");
                if (label < 0 || label > 9) {
                    throw new UserException(file + ": line " + line + ": Label " + label + " is not a digit 0-9");
                }
                if (count == labels.length) {
                    labels = Arrays.copyOf(labels, 2 * count);
                }
                labels[count++] = label;
            }
            if (header) {
                throw new UserException(file + ": is empty (expected the header 'ImageId,Label' and one row per digit)");
            }
            if (count == 0) {
                throw new UserException(file + ": has a header but no rows");
            }
            return Arrays.copyOf(labels, count);
        } catch (IOException e) {
            throw new UserException(file + ": cannot read (" + AtomicFiles.describe(e) + ")", e);
        } catch (UncheckedIOException e) {
            throw new UserException(file + ": is not a valid CSV (" + e.getCause().getMessage() + ")", e);
        }
    }

    private static int parse(String cell, Path file, long line, String column) {
        try {
            return Integer.parseInt(cell.trim());
        } catch (NumberFormatException e) {
            throw new UserException(file + ": line " + line + ": " + column + " '" + cell + "' is not an integer");
        }
    }
}
