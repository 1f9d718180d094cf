package dev.lenetdigits.training;

/** Hears a training run's progress; the CLI draws a progress bar and prints epoch lines from it. */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {};

    default void epochStarted(int epoch, int epochs, int steps) {}

    /**
     * Called after every step. {@code runningLoss} is the mean loss so far this epoch, or NaN on steps
     * where it was not read back (reading it forces a device sync, so it is read only now and then).
     */
    default void stepFinished(int step, long images, double runningLoss) {}

    default void epochFinished(EpochResult result) {}
}
