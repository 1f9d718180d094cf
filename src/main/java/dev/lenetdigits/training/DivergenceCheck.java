package dev.lenetdigits.training;

import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitSet;

import java.util.Locale;

/**
 * Stops a run whose loss is no longer a number, or is a number far above what guessing costs: one line naming
 * where it happened, the learning rate, and the last good checkpoint, if the run writes them.
 */
final class DivergenceCheck {
    /**
     * A running loss above this many times what guessing uniformly costs (ln of the class count) is taken for
     * divergence, as NaN is: a fresh network starts near ln 10 and training lowers it, so a loss far above it
     * means the steps throw the weights about, even while it stays finite. The recipes' normal runs stay at or
     * below about ln 10 from their first reading on (docs/divergence.md).
     */
    static final double DIVERGED_OVER_UNIFORM = 3;
    /** What guessing uniformly among the classes costs in cross-entropy. */
    static final double UNIFORM_LOSS = Math.log(DigitSet.CLASSES);

    private final Checkpoints checkpoints;

    /** @param checkpoints the run's checkpoints, or null when it writes none */
    DivergenceCheck(Checkpoints checkpoints) {
        this.checkpoints = checkpoints;
    }

    /**
     * Throws when {@code runningLoss}, read back at {@code step} of {@code epoch}, is not finite or is over
     * {@link #DIVERGED_OVER_UNIFORM} times {@link #UNIFORM_LOSS}.
     */
    void check(double runningLoss, int epoch, int step, double lr) {
        boolean finite = Double.isFinite(runningLoss);
        if (finite && runningLoss <= DIVERGED_OVER_UNIFORM * UNIFORM_LOSS) {
            return;
        }
        String kept = checkpoints == null ? ""
                : checkpoints.latest().map(p -> "; the last good checkpoint is " + p).orElse("; no checkpoint was written yet");
        String shown = finite ? String.format(Locale.ROOT, "%.4g", runningLoss) : String.valueOf(runningLoss);
        String why = finite ? String.format(Locale.ROOT, ", over %.0f times the %.2f that guessing uniformly costs",
                DIVERGED_OVER_UNIFORM, UNIFORM_LOSS) : "";
        throw new UserException(String.format(Locale.ROOT,
                "training diverged: loss is %s at epoch %d, step %d (learning rate %g)%s; try a smaller --lr%s",
                shown, epoch, step, lr, why, kept));
    }
}
