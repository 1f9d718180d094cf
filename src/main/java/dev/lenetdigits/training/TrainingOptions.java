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
 * Every knob of a training run, each checked with its flag's name. Made with {@link #builder()}, which starts
 * from {@link #DEFAULTS}, or from other settings with {@link #toBuilder()}; {@link Recipe}s are such settings.
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
    /** The reference LeNet's settings ({@link Recipe#LENET}): SGD with momentum, per-epoch decay, no augmentation. */
    public static final TrainingOptions DEFAULTS = new Builder().build();

    private static final String PROPERTY_PREFIX = "option.";
    private static final String PRECISION = "precision";

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

        /** The schedule called {@code name} ("decay", "one-cycle"). */
        public static Schedule named(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
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
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(augmentation, "augmentation");
        Objects.requireNonNull(precision, "precision");
        if (augmentation.elasticAlpha() > 0 && !augment) {
            throw new UserException("--elastic-alpha: '" + augmentation.elasticAlpha()
                    + "' needs augmentation, which --no-augment turned off");
        }
    }

    /** A builder starting from {@link #DEFAULTS}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The same settings with another seed (ensemble members differ only in this). */
    public TrainingOptions withSeed(long newSeed) {
        return toBuilder().seed(newSeed).build();
    }

    /** The same settings for another network (an ensemble's members may see digits through different views). */
    public TrainingOptions withArchitecture(String newArchitecture) {
        return toBuilder().architecture(newArchitecture).build();
    }

    /** The same settings computed in another precision (a resumed run told to change it). */
    public TrainingOptions withPrecision(Precision newPrecision) {
        return toBuilder().precision(newPrecision).build();
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
                Long.parseLong(m.get("seed")), Double.parseDouble(m.get("val-split")),
                m.getOrDefault("architecture", LeNet.ARCHITECTURE), Boolean.parseBoolean(m.get("augment")),
                Schedule.named(m.getOrDefault("schedule", "decay")),
                Double.parseDouble(m.getOrDefault("weight-decay", "0")), Boolean.parseBoolean(m.get("restore-best")),
                // Files written before these knobs existed trained without them.
                Double.parseDouble(m.getOrDefault("label-smoothing", "0")), AugmentationOptions.fromMap(m),
                Precision.parse(m.get(PRECISION))); // recorded only when not fp32
    }

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

    /** Settings made one at a time; {@link #build()} checks them all. */
    public static final class Builder {
        private int epochs = 3;
        private int batchSize = 64;
        private double lr = 0.02;
        private OptimizerKind optimizer = OptimizerKind.SGD;
        private double momentum = 0.9;
        private double lrDecay = 0.7;
        private long seed = 1;
        private double valSplit = 0.1;
        private String architecture = LeNet.ARCHITECTURE;
        private boolean augment;
        private Schedule schedule = Schedule.DECAY;
        private double weightDecay;
        private boolean restoreBest;
        private double labelSmoothing;
        private AugmentationOptions augmentation = AugmentationOptions.DEFAULTS;
        private Precision precision = Precision.FP32;

        private Builder() {}

        private Builder(TrainingOptions o) {
            epochs = o.epochs;
            batchSize = o.batchSize;
            lr = o.lr;
            optimizer = o.optimizer;
            momentum = o.momentum;
            lrDecay = o.lrDecay;
            seed = o.seed;
            valSplit = o.valSplit;
            architecture = o.architecture;
            augment = o.augment;
            schedule = o.schedule;
            weightDecay = o.weightDecay;
            restoreBest = o.restoreBest;
            labelSmoothing = o.labelSmoothing;
            augmentation = o.augmentation;
            precision = o.precision;
        }

        public Builder epochs(int value) {
            epochs = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder lr(double value) {
            lr = value;
            return this;
        }

        public Builder optimizer(OptimizerKind value) {
            optimizer = value;
            return this;
        }

        public Builder momentum(double value) {
            momentum = value;
            return this;
        }

        public Builder lrDecay(double value) {
            lrDecay = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder valSplit(double value) {
            valSplit = value;
            return this;
        }

        public Builder architecture(String value) {
            architecture = value;
            return this;
        }

        public Builder augment(boolean value) {
            augment = value;
            return this;
        }

        public Builder schedule(Schedule value) {
            schedule = value;
            return this;
        }

        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        public Builder restoreBest(boolean value) {
            restoreBest = value;
            return this;
        }

        public Builder labelSmoothing(double value) {
            labelSmoothing = value;
            return this;
        }

        public Builder augmentation(AugmentationOptions value) {
            augmentation = value;
            return this;
        }

        public Builder precision(Precision value) {
            precision = value;
            return this;
        }

        /** The settings; a value out of range is a {@link UserException} naming its flag. */
        public TrainingOptions build() {
            return new TrainingOptions(epochs, batchSize, lr, optimizer, momentum, lrDecay, seed, valSplit,
                    architecture, augment, schedule, weightDecay, restoreBest, labelSmoothing, augmentation, precision);
        }
    }
}
