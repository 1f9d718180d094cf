package dev.lenetdigits.training;

/**
 * Hears a training run: its progress, and the lines it has to say. The CLI draws a progress bar, prints the
 * epoch lines on stdout and the notes on stderr; a library caller may take them or leave them.
 */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {};

    default void epochStarted(int epoch, int epochs, int steps) {}

    /**
     * Called after every step. {@code runningLoss} is the mean loss so far this epoch, or NaN on steps
     * where it was not read back (reading it forces a device sync, so it is read only now and then).
     */
    default void stepFinished(int step, long images, double runningLoss) {}

    default void epochFinished(EpochResult result) {}

    /** A line about the run besides the epochs' figures: "resuming from …", "kept the weights of epoch 3 …". */
    default void note(String line) {}

    /**
     * A line that ensemble member {@code member} (from 1), training in a process of its own, printed: its
     * epoch lines and its notes. Called from one thread per member process.
     */
    default void memberOutput(int member, String line) {}
}
