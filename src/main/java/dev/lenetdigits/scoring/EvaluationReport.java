package dev.lenetdigits.scoring;

import java.util.Locale;

/** Accuracy, per-class precision and recall, and the 10×10 confusion matrix of predictions against truth. */
public final class EvaluationReport {
    private final long[][] confusion; // [true][predicted]
    private final long total;
    private final long correct;

    private EvaluationReport(long[][] confusion, long total, long correct) {
        this.confusion = confusion;
        this.total = total;
        this.correct = correct;
    }

    public static EvaluationReport of(int[] truth, int[] predicted, int classes) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " labels for " + predicted.length + " predictions");
        }
        long[][] confusion = new long[classes][classes];
        long correct = 0;
        for (int i = 0; i < truth.length; i++) {
            confusion[truth[i]][predicted[i]]++;
            if (truth[i] == predicted[i]) {
                correct++;
            }
        }
        return new EvaluationReport(confusion, truth.length, correct);
    }

    public double accuracy() {
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    public long count(int truth, int predicted) {
        return confusion[truth][predicted];
    }

    /** Of the images predicted as {@code c}, the fraction that are {@code c}. */
    public double precision(int c) {
        long predictedAsC = 0;
        for (long[] row : confusion) {
            predictedAsC += row[c];
        }
        return predictedAsC == 0 ? Double.NaN : (double) confusion[c][c] / predictedAsC;
    }

    /** Of the images that are {@code c}, the fraction predicted as {@code c}. */
    public double recall(int c) {
        long isC = 0;
        for (long v : confusion[c]) {
            isC += v;
        }
        return isC == 0 ? Double.NaN : (double) confusion[c][c] / isC;
    }

    /** The report as printed by {@code evaluate}. */
    public String format() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "accuracy %.2f%% (%d of %d)%n%n", 100 * accuracy(), correct, total));
        s.append("digit  precision  recall\n");
        for (int c = 0; c < confusion.length; c++) {
            s.append(String.format(Locale.ROOT, "%5d  %8.2f%%  %5.2f%%%n", c, 100 * precision(c), 100 * recall(c)));
        }
        s.append("\nconfusion (rows: true digit, columns: predicted)\n     ");
        for (int c = 0; c < confusion.length; c++) {
            s.append(String.format(Locale.ROOT, "%6d", c));
        }
        s.append('\n');
        for (int t = 0; t < confusion.length; t++) {
            s.append(String.format(Locale.ROOT, "%5d", t));
            for (long v : confusion[t]) {
                s.append(String.format(Locale.ROOT, "%6d", v));
            }
            s.append('\n');
        }
        return s.toString();
    }
}
