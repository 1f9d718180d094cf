package dev.lenetdigits.training;

import dev.lenetdigits.UserException;
import dev.lenetdigits.device.Precision;
import dev.lenetdigits.model.Architectures;
import dev.lenetdigits.model.LeNet;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

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
 * @param architecture the network, one of {@link Architectures#NAMES}
 * @param augment   random rotation, scale and shift of every training batch, on the device
 * @param schedule  how the learning rate moves: per-epoch decay, or one cycle over the whole run
 * @param weightDecay L2 penalty on the weights
 * @param restoreBest end with the weights of the epoch with the best validation accuracy
 * @param labelSmoothing share of each target's probability spread evenly over all ten classes (0: none)
 * @param augmentation with {@code augment}, how far digits are rotated, scaled, shifted and distorted
 * @param precision what the network's heavy layers compute in; a resumed run goes on in it
 */
public record TrainingOptions(int epochs, int batchSize, double lr, OptimizerKind optimizer, double momentum,
                              double lrDecay, long seed, double valSplit, String architecture, boolean augment,
                              Schedule schedule, double weightDecay, boolean restoreBest, double labelSmoothing,
                              AugmentationOptions augmentation, Precision precision) {
    public static final TrainingOptions DEFAULTS =
            new TrainingOptions(3, 64, 0.02, OptimizerKind.SGD, 0.9, 0.7, 1, 0.1);

    /** How the learning rate moves during training. */
    public enum Schedule {
        /** {@code lr} for epoch 1, multiplied by {@code lrDecay} after each epoch. */
        DECAY,
        /** Rises from lr/25 to {@code lr} over the first 30% of steps, then falls to lr/10⁴ (cosine). */
        ONE_CYCLE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The reference LeNet with per-epoch decay, no augmentation. */
    public TrainingOptions(int epochs, int batchSize, double lr, OptimizerKind optimizer, double momentum,
                           double lrDecay, long seed, double valSplit) {
        this(epochs, batchSize, lr, optimizer, momentum, lrDecay, seed, valSplit, LeNet.ARCHITECTURE, false,
                Schedule.DECAY, 0, false);
    }

    /** No label smoothing; augmentation, if on, at its default bounds. */
    public TrainingOptions(int epochs, int batchSize, double lr, OptimizerKind optimizer, double momentum,
                           double lrDecay, long seed, double valSplit, String architecture, boolean augment,
                           Schedule schedule, double weightDecay, boolean restoreBest) {
        this(epochs, batchSize, lr, optimizer, momentum, lrDecay, seed, valSplit, architecture, augment, schedule,
                weightDecay, restoreBest, 0, AugmentationOptions.DEFAULTS);
    }

    /** In float32. */
    public TrainingOptions(int epochs, int batchSize, double lr, OptimizerKind optimizer, double momentum,
                           double lrDecay, long seed, double valSplit, String architecture, boolean augment,
                           Schedule schedule, double weightDecay, boolean restoreBest, double labelSmoothing,
                           AugmentationOptions augmentation) {
        this(epochs, batchSize, lr, optimizer, momentum, lrDecay, seed, valSplit, architecture, augment, schedule,
                weightDecay, restoreBest, labelSmoothing, augmentation, Precision.FP32);
    }

    public TrainingOptions {
        require(epochs >= 1 && epochs <= 10_000, "--epochs", epochs, "an integer 1-10000");
        require(batchSize >= 1 && batchSize <= 65_536, "--batch-size", batchSize, "an integer 1-65536");
        require(lr > 0 && lr <= 10 && Double.isFinite(lr), "--lr", lr, "a number in (0, 10]");
        require(momentum >= 0 && momentum < 1, "--momentum", momentum, "a number in [0, 1)");
        require(lrDecay > 0 && lrDecay <= 1, "--lr-decay", lrDecay, "a number in (0, 1]");
        require(valSplit >= 0 && valSplit <= 0.5, "--val-split", valSplit, "a number in [0, 0.5]");
        require(Architectures.isKnown(architecture), "--architecture", architecture, "one of " + Architectures.NAMES);
        require(weightDecay >= 0 && weightDecay < 1, "--weight-decay", weightDecay, "a number in [0, 1)");
        require(labelSmoothing >= 0 && labelSmoothing < 1, "--label-smoothing", labelSmoothing, "a number in [0, 1)");
        Objects.requireNonNull(augmentation, "augmentation");
        Objects.requireNonNull(precision, "precision");
        if (augmentation.elasticAlpha() > 0 && !augment) {
            throw new UserException("--elastic-alpha: '" + augmentation.elasticAlpha()
                    + "' needs augmentation, which --no-augment turned off");
        }
    }

    private static void require(boolean ok, String flag, Object value, String expected) {
        if (!ok) {
            throw new UserException(flag + ": '" + value + "' is not " + expected);
        }
    }

    /** The same settings with another seed (ensemble members differ only in this). */
    public TrainingOptions withSeed(long newSeed) {
        return new TrainingOptions(epochs, batchSize, lr, optimizer, momentum, lrDecay, newSeed, valSplit, architecture,
                augment, schedule, weightDecay, restoreBest, labelSmoothing, augmentation, precision);
    }

    /** The same settings for another network (an ensemble's members may see digits through different views). */
    public TrainingOptions withArchitecture(String newArchitecture) {
        return new TrainingOptions(epochs, batchSize, lr, optimizer, momentum, lrDecay, seed, valSplit, newArchitecture,
                augment, schedule, weightDecay, restoreBest, labelSmoothing, augmentation, precision);
    }

    /** The same settings with label smoothing and elastic distortion as given. */
    public TrainingOptions withRegularisation(double newLabelSmoothing, double newElasticAlpha, double newElasticSigma) {
        return new TrainingOptions(epochs, batchSize, lr, optimizer, momentum, lrDecay, seed, valSplit, architecture,
                augment, schedule, weightDecay, restoreBest, newLabelSmoothing,
                augmentation.withElastic(newElasticAlpha, newElasticSigma), precision);
    }

    /** The same settings computed in another precision (a resumed run told to change it). */
    public TrainingOptions withPrecision(Precision newPrecision) {
        return new TrainingOptions(epochs, batchSize, lr, optimizer, momentum, lrDecay, seed, valSplit, architecture,
                augment, schedule, weightDecay, restoreBest, labelSmoothing, augmentation, newPrecision);
    }

    /** The inverse of {@link #asMap()}. */
    public static TrainingOptions fromMap(Map<String, String> m) {
        return new TrainingOptions(Integer.parseInt(m.get("epochs")), Integer.parseInt(m.get("batch-size")),
                Double.parseDouble(m.get("lr")), OptimizerKind.valueOf(m.get("optimizer").toUpperCase(Locale.ROOT)),
                Double.parseDouble(m.get("momentum")), Double.parseDouble(m.get("lr-decay")),
                Long.parseLong(m.get("seed")), Double.parseDouble(m.get("val-split")),
                m.getOrDefault("architecture", LeNet.ARCHITECTURE), Boolean.parseBoolean(m.get("augment")),
                Schedule.valueOf(m.getOrDefault("schedule", "decay").toUpperCase(Locale.ROOT).replace('-', '_')),
                Double.parseDouble(m.getOrDefault("weight-decay", "0")), Boolean.parseBoolean(m.get("restore-best")),
                // Files written before these knobs existed trained without them.
                Double.parseDouble(m.getOrDefault("label-smoothing", "0")), AugmentationOptions.fromMap(m),
                Precision.parse(m.get(PRECISION))); // recorded only when not fp32
    }

    private static final String PROPERTY_PREFIX = "option.";
    private static final String PRECISION = "precision";

    /**
     * Stores the settings as {@code option.FLAG=value} entries (checkpoints, ensemble manifests), and the
     * precision as {@code precision=fp32|bf16}, as these files have held it since before it was a setting.
     */
    public void putInto(Properties p) {
        asMap().forEach((k, v) -> {
            if (!k.equals(PRECISION)) {
                p.setProperty(PROPERTY_PREFIX + k, v);
            }
        });
        p.setProperty(PRECISION, precision.toString());
    }

    /** The inverse of {@link #putInto}; other entries in {@code p} are ignored, a missing precision is fp32. */
    public static TrainingOptions fromProperties(Properties p) {
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith(PROPERTY_PREFIX))
                .forEach(k -> m.put(k.substring(PROPERTY_PREFIX.length()), p.getProperty(k)));
        if (p.getProperty(PRECISION) != null) {
            m.put(PRECISION, p.getProperty(PRECISION));
        }
        return fromMap(m);
    }

    /** The settings as flag → value, for the model file's record; the precision only when it is not fp32. */
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
        m.put("architecture", architecture);
        m.put("augment", Boolean.toString(augment));
        m.put("schedule", schedule.toString());
        m.put("weight-decay", Double.toString(weightDecay));
        m.put("restore-best", Boolean.toString(restoreBest));
        m.put("label-smoothing", Double.toString(labelSmoothing));
        m.putAll(augmentation.asMap());
        if (precision != Precision.FP32) { // fp32 files stay as they were before precision was recorded
            m.put(PRECISION, precision.toString());
        }
        return m;
    }
}
