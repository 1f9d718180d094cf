package dev.lenetdigits.training;

import java.util.Locale;

/**
 * One epoch's figures. Validation figures are NaN when there is no validation split.
 *
 * @param imagesPerSecond training digits per second of the epoch's wall time (validation excluded)
 */
public record EpochResult(int epoch, int epochs, double trainLoss, double trainAccuracy, double validationLoss,
                          double validationAccuracy, double seconds, double imagesPerSecond) {
    /** The one line printed after each epoch. */
    public String format() {
        String validation = Double.isNaN(validationAccuracy) ? "val -"
                : String.format(Locale.ROOT, "val loss %.4f acc %.2f%%", validationLoss, 100 * validationAccuracy);
        return String.format(Locale.ROOT, "epoch %d/%d  train loss %.4f acc %.2f%%  %s  %.1f s  %.0f img/s",
                epoch, epochs, trainLoss, 100 * trainAccuracy, validation, seconds, imagesPerSecond);
    }
}
