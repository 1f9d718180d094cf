package dev.lenetdigits.training;

import dev.lenetdigits.model.LeNetDeep;
import dev.lenetdigits.model.LeNetPlus;

import java.util.Locale;

/** Named training recipes: a network plus the settings that suit it. Every setting can still be overridden. */
public enum Recipe {
    /** The seed's LeNet, SGD with momentum, per-epoch decay: 99.22-99.25% on MNIST's test digits in 3 epochs. */
    LENET(TrainingOptions.DEFAULTS),
    /**
     * The wider LeNet with batch norm and dropout, trained on randomly rotated, scaled and shifted digits
     * with a one-cycle learning rate, keeping the epoch with the best validation accuracy.
     */
    LENET_PLUS(new TrainingOptions(15, 128, 0.05, OptimizerKind.SGD, 0.9, 1.0, 1, 0.1, LeNetPlus.ARCHITECTURE,
            true, TrainingOptions.Schedule.ONE_CYCLE, 5e-4, true)),
    /**
     * lenet-plus's training with a three-stage network of 3×3 convolutions: a second kind of member, so an
     * ensemble can join networks whose mistakes differ more than two lenet-plus seeds' do.
     */
    LENET_DEEP(new TrainingOptions(15, 128, 0.05, OptimizerKind.SGD, 0.9, 1.0, 1, 0.1, LeNetDeep.ARCHITECTURE,
            true, TrainingOptions.Schedule.ONE_CYCLE, 5e-4, true));

    private final TrainingOptions defaults;

    Recipe(TrainingOptions defaults) {
        this.defaults = defaults;
    }

    public TrainingOptions defaults() {
        return defaults;
    }

    /** The recipe called {@code name} ("lenet", "lenet-plus", "lenet-deep"). */
    public static Recipe named(String name) {
        return java.util.Arrays.stream(values()).filter(r -> r.toString().equals(name)).findFirst().orElseThrow(
                () -> new dev.lenetdigits.UserException("--recipe: '" + name + "' is not one of "
                        + java.util.Arrays.toString(values())));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
