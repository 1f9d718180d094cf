package dev.lenetdigits.training;

import dev.lenetdigits.UserException;
import dev.lenetdigits.model.LeNetDeep;
import dev.lenetdigits.model.LeNetPlus;

import java.util.Arrays;
import java.util.Locale;

/**
 * Named training recipes: a network plus the settings that suit it, each derived from the one before. Every
 * setting can still be overridden by its flag.
 */
public enum Recipe {
    /** The reference LeNet: SGD with momentum, the learning rate decaying after each epoch, no augmentation. */
    LENET(TrainingOptions.DEFAULTS),
    /**
     * The wider LeNet with batch norm and dropout, trained longer on randomly rotated, scaled and shifted
     * digits with a one-cycle learning rate and weight decay, keeping the epoch with the best validation
     * accuracy.
     */
    LENET_PLUS(LENET.defaults.toBuilder()
            .architecture(LeNetPlus.ARCHITECTURE)
            .epochs(15)
            .batchSize(128)
            .lr(0.05)
            .lrDecay(1.0)
            .schedule(TrainingOptions.Schedule.ONE_CYCLE)
            .weightDecay(5e-4)
            .augment(true)
            .restoreBest(true)
            .build()),
    /**
     * lenet-plus's training with a three-stage network of 3×3 convolutions: a second kind of member, so an
     * ensemble can join networks whose mistakes differ more than two lenet-plus seeds' do.
     */
    LENET_DEEP(LENET_PLUS.defaults.toBuilder().architecture(LeNetDeep.ARCHITECTURE).build());

    private final TrainingOptions defaults;

    Recipe(TrainingOptions defaults) {
        this.defaults = defaults;
    }

    public TrainingOptions defaults() {
        return defaults;
    }

    /** The recipe called {@code name} ("lenet", "lenet-plus", "lenet-deep"). */
    public static Recipe named(String name) {
        return Arrays.stream(values()).filter(r -> r.toString().equals(name)).findFirst().orElseThrow(
                () -> new UserException("--recipe: '" + name + "' is not one of " + Arrays.toString(values())));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
