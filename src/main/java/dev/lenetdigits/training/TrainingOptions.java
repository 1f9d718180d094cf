package dev.lenetdigits.training;

import dev.lenetdigits.UserException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every knob of a training run. The defaults reach at least 99% on MNIST's 10000 test digits when trained
 * on its 60000 training digits (see README for the measured figure).
 *
 * @param epochs    passes over the training digits
 * @param batchSize digits per step
 * @param lr        learning rate
 * @param optimizer SGD (with {@code momentum}) or Adam
 * @param momentum  SGD momentum (ignored by Adam)
 * @param lrDecay   the learning rate is multiplied by this after each epoch
 * @param seed      seeds weights, shuffling and the validation split
 * @param valSplit  fraction of the training file held out for validation, in [0, 0.5]
 */
public record TrainingOptions(int epochs, int batchSize, double lr, OptimizerKind optimizer, double momentum,
                              double lrDecay, long seed, double valSplit) {
    public static final TrainingOptions DEFAULTS =
            new TrainingOptions(3, 64, 0.02, OptimizerKind.SGD, 0.9, 0.7, 1, 0.1);

    public TrainingOptions {
        require(epochs >= 1 && epochs <= 10_000, "--epochs", epochs, "an integer 1-10000");
        require(batchSize >= 1 && batchSize <= 65_536, "--batch-size", batchSize, "an integer 1-65536");
        require(lr > 0 && lr <= 10 && Double.isFinite(lr), "--lr", lr, "a number in (0, 10]");
        require(momentum >= 0 && momentum < 1, "--momentum", momentum, "a number in [0, 1)");
        require(lrDecay > 0 && lrDecay <= 1, "--lr-decay", lrDecay, "a number in (0, 1]");
        require(valSplit >= 0 && valSplit <= 0.5, "--val-split", valSplit, "a number in [0, 0.5]");
    }

    private static void require(boolean ok, String flag, Object value, String expected) {
        if (!ok) {
            throw new UserException(flag + ": '" + value + "' is not " + expected);
        }
    }

    /** The inverse of {@link #asMap()}. */
    public static TrainingOptions fromMap(Map<String, String> m) {
        return new TrainingOptions(Integer.parseInt(m.get("epochs")), Integer.parseInt(m.get("batch-size")),
                Double.parseDouble(m.get("lr")), OptimizerKind.valueOf(m.get("optimizer").toUpperCase(Locale.ROOT)),
                Double.parseDouble(m.get("momentum")), Double.parseDouble(m.get("lr-decay")),
                Long.parseLong(m.get("seed")), Double.parseDouble(m.get("val-split")));
    }

    /** The settings as flag → value, for the model file's record. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("epochs", Integer.toString(epochs));
        m.put("batch-size", Integer.toString(batchSize));
        m.put("lr", Double.toString(lr));
        m.put("optimizer", optimizer.toString());
        m.put("momentum", Double.toString(momentum));
        m.put("lr-decay", Double.toString(lrDecay));
        m.put("seed", Long.toString(seed));
        m.put("val-split", String.format(Locale.ROOT, "%s", valSplit));
        return m;
    }
}
