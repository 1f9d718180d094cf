package dev.lenetdigits.cli;

import dev.lenetdigits.training.EpochResult;
import dev.lenetdigits.training.TrainingListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.util.Locale;

/**
 * Shows a progress bar per epoch (on a terminal only: in logs and CI it would be noise), prints the epoch's
 * summary line when it ends, and the run's notes on stderr. Lines of members training in processes of their
 * own come out on stdout, prefixed with the member ("member 03: epoch 7/40 …").
 */
final class ProgressListener implements TrainingListener {
    private final PrintStream out;
    private final boolean showBar;
    private final long imagesPerEpoch;
    private ProgressBar bar;

    ProgressListener(PrintStream out, long imagesPerEpoch) {
        this.out = out;
        this.showBar = System.console() != null;
        this.imagesPerEpoch = imagesPerEpoch;
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps) {
        if (showBar) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                    .setInitialMax(imagesPerEpoch)
                    .setUnit(" img", 1)
                    .showSpeed(new DecimalFormat("#"))
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .build();
        }
    }

    @Override
    public void stepFinished(int step, long images, double runningLoss) {
        if (bar != null) {
            bar.stepTo(images);
            if (!Double.isNaN(runningLoss)) {
                bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", runningLoss));
            }
        }
    }

    @Override
    public void epochFinished(EpochResult result) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        out.println(result.format());
        out.flush();
    }

    @Override
    public void note(String line) {
        System.err.println(line);
    }

    @Override
    public void memberOutput(int member, String line) {
        synchronized (out) {
            out.println(String.format(Locale.ROOT, "member %02d: ", member) + line);
            out.flush();
        }
    }
}
