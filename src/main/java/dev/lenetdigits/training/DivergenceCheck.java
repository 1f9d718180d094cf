package dev.lenetdigits.training;

import dev.lenetdigits.UserException;

import java.util.Locale;

/**
 * Stops a run whose loss is no longer a number: one line naming where it happened, the learning rate, and
 * the last good checkpoint, if the run writes them.
 */
final class DivergenceCheck {
    private final Checkpoints checkpoints;

    /** @param checkpoints the run's checkpoints, or null when it writes none */
    DivergenceCheck(Checkpoints checkpoints) {
        this.checkpoints = checkpoints;
    }

    /** Throws when {@code runningLoss}, read back at {@code step} of {@code epoch}, is not finite. */
    void check(double runningLoss, int epoch, int step, double lr) {
        if (Double.isFinite(runningLoss)) {
            return;
        }
        String kept = checkpoints == null ? ""
                : checkpoints.latest().map(p -> "; the last good checkpoint is " + p).orElse("; no checkpoint was written yet");
        throw new UserException(String.format(Locale.ROOT,
                "training diverged: loss is %s at epoch %d, step %d (learning rate %g); try a smaller --lr%s",
                runningLoss, epoch, step, lr, kept));
    }
}
