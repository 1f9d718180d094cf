package dev.lenetdigits.training;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Says when a trained network is no better than guessing: its accuracy is less than {@link #MARGIN} above
 * what always answering the file's most common class scores. Such a run did not diverge (that stops
 * training), yet its model would make a worthless submission, so the user is told; the model is still
 * written.
 */
public final class ChanceLevel {
    /**
     * Accuracy points above guessing the most common class that still count as chance. Wide enough for the
     * noise of a small validation split, far below what a network that learned anything reaches.
     */
    static final double MARGIN = 0.10;

    private ChanceLevel() {}

    /**
     * The warning for a single network, or empty: judged on the accuracy its model file records (validation),
     * or without a validation split on its last epoch's training accuracy.
     *
     * @param labels the labels of the training file, for what guessing scores
     */
    public static Optional<String> of(Trainer.Result result, int[] labels) {
        double validation = result.info().validationAccuracy();
        if (!Double.isNaN(validation)) {
            return warning("validation accuracy", validation, labels);
        }
        List<EpochResult> epochs = result.epochs();
        return warning("training accuracy", epochs.get(epochs.size() - 1).trainAccuracy(), labels);
    }

    /**
     * The warning for an ensemble, or empty: judged on its validation accuracy, or without a validation
     * split on the weakest member's last training accuracy.
     */
    public static Optional<String> ofEnsemble(double validationAccuracy, List<List<EpochResult>> memberEpochs,
                                              int[] labels) {
        if (!Double.isNaN(validationAccuracy)) {
            return warning("the ensemble's validation accuracy", validationAccuracy, labels);
        }
        int weakest = 0;
        double lowest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < memberEpochs.size(); i++) {
            List<EpochResult> epochs = memberEpochs.get(i);
            double accuracy = epochs.get(epochs.size() - 1).trainAccuracy();
            if (accuracy < lowest) {
                lowest = accuracy;
                weakest = i;
            }
        }
        return warning(String.format(Locale.ROOT, "member %d's training accuracy", weakest + 1), lowest, labels);
    }

    /** {@code what} (e.g. "validation accuracy") of {@code accuracy} judged against guessing on {@code labels}. */
    static Optional<String> warning(String what, double accuracy, int[] labels) {
        int[] counts = new int[256];
        for (int label : labels) {
            counts[label & 0xFF]++;
        }
        int common = 0;
        for (int c = 1; c < counts.length; c++) {
            if (counts[c] > counts[common]) {
                common = c;
            }
        }
        double guess = labels.length == 0 ? 0 : (double) counts[common] / labels.length;
        if (Double.isNaN(accuracy) || accuracy >= guess + MARGIN) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "warning: %s %.2f%% is at chance level: always answering class %d, the most common, scores %.2f%% "
                        + "on this file; the model was written, but it is no better than a guess (check --lr, --epochs "
                        + "and the number of rows)", what, 100 * accuracy, common, 100 * guess));
    }
}
