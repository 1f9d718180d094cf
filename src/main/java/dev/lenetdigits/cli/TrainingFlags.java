package dev.lenetdigits.cli;

import dev.lenetdigits.UserException;
import dev.lenetdigits.model.Architectures;
import dev.lenetdigits.training.AugmentationOptions;
import dev.lenetdigits.training.OptimizerKind;
import dev.lenetdigits.training.Recipe;
import dev.lenetdigits.training.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.List;

/**
 * The training knobs as flags. A recipe supplies the defaults; any flag given overrides it. The help shows
 * each recipe's defaults as {@link Recipe} has them ({@link RecipeHelp}).
 */
@Command(resourceBundle = "dev.lenetdigits.cli.RecipeHelp")
final class TrainingFlags {
    @Option(names = "--recipe", paramLabel = "NAME",
            description = "lenet (the reference LeNet; default), lenet-plus (wider, batch norm, dropout, augmentation, "
                    + "one-cycle) or lenet-deep (lenet-plus's training, three stages of 3×3 convolutions).")
    String recipe = Recipe.LENET.toString();

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training digits (${bundle:recipes.epochs}).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Digits per step (${bundle:recipes.batch-size}).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate; the peak for one-cycle (${bundle:recipes.lr}).")
    Double lr;

    @Option(names = "--optimizer", paramLabel = "sgd|adam", description = "Optimizer (${bundle:recipes.optimizer}).")
    OptimizerKind optimizer;

    @Option(names = "--momentum", paramLabel = "X", description = "SGD momentum (${bundle:recipes.momentum}).")
    Double momentum;

    @Option(names = "--lr-decay", paramLabel = "X",
            description = "With the decay schedule, multiply the learning rate by this after each epoch "
                    + "(${bundle:recipes.lr-decay}).")
    Double lrDecay;

    @Option(names = "--schedule", paramLabel = "decay|one-cycle", description = "Learning-rate schedule (${bundle:recipes.schedule}).")
    String schedule;

    @Option(names = "--weight-decay", paramLabel = "X", description = "L2 penalty (${bundle:recipes.weight-decay}).")
    Double weightDecay;

    @Option(names = "--augment", negatable = true,
            description = "Randomly rotate, scale and shift training digits on the device "
                    + "(${bundle:recipes.augment}).")
    Boolean augment;

    @Option(names = "--rotate", paramLabel = "DEG",
            description = "With --augment, rotate each digit by up to this many degrees either way "
                    + "(${bundle:recipes.rotate}).")
    Double rotate;

    @Option(names = "--zoom", paramLabel = "X",
            description = "With --augment, scale each digit by a factor in 1-X..1+X (${bundle:recipes.zoom}).")
    Double zoom;

    @Option(names = "--shift", paramLabel = "PX",
            description = "With --augment, shift each digit by up to this many pixels along each axis "
                    + "(${bundle:recipes.shift}).")
    Double shift;

    @Option(names = "--elastic-alpha", paramLabel = "X",
            description = "With --augment, also distort digits elastically, this strong in pixels "
                    + "(${bundle:recipes.elastic-alpha}, off; Simard et al. used 34).")
    Double elasticAlpha;

    @Option(names = "--elastic-sigma", paramLabel = "X",
            description = "Smoothness of the elastic distortion, in pixels (${bundle:recipes.elastic-sigma}).")
    Double elasticSigma;

    @Option(names = "--label-smoothing", paramLabel = "X",
            description = "Spread this share of each target over all ten classes (${bundle:recipes.label-smoothing}).")
    Double labelSmoothing;

    @Option(names = "--view", split = ",", paramLabel = "VIEW[,VIEW...]",
            description = "How the network sees each digit, inside the network in training and prediction alike: plain "
                    + "(default), deskew (sheared upright by its ink's moments) or widthN (scaled along x to N pixels of "
                    + "ink, N 4-28). With --ensemble, members take the views in turn: --view plain,deskew,width14.")
    List<String> views;

    @Option(names = "--restore-best", negatable = true,
            description = "End with the epoch of best validation accuracy (${bundle:recipes.restore-best}).")
    Boolean restoreBest;

    @Option(names = "--seed", paramLabel = "N", description = "Seeds weights, shuffling, augmentation and the split "
                    + "(${bundle:recipes.seed}).")
    Long seed;

    @Option(names = "--val-split", paramLabel = "F",
            description = "Fraction of the training file held out for validation, 0-0.5 (${bundle:recipes.val-split}).")
    Double valSplit;

    TrainingOptions toOptions() {
        TrainingOptions d = recipe().defaults();
        AugmentationOptions a = d.augmentation();
        AugmentationOptions bounds = new AugmentationOptions(or(rotate, a.rotationDegrees()), or(zoom, a.zoom()),
                or(shift, a.shiftPixels()), or(elasticAlpha, a.elasticAlpha()), or(elasticSigma, a.elasticSigma()));
        boolean augmented = or(augment, d.augment());
        if (!augmented) {
            // A bound given for augmentation that will not run is a mistake worth saying, not ignoring.
            refuseWithoutAugmentation("--rotate", rotate);
            refuseWithoutAugmentation("--zoom", zoom);
            refuseWithoutAugmentation("--shift", shift);
            refuseWithoutAugmentation("--elastic-alpha", elasticAlpha != null && elasticAlpha > 0 ? elasticAlpha : null);
        }
        return d.toBuilder()
                .epochs(or(epochs, d.epochs()))
                .batchSize(or(batchSize, d.batchSize()))
                .lr(or(lr, d.lr()))
                .optimizer(or(optimizer, d.optimizer()))
                .momentum(or(momentum, d.momentum()))
                .lrDecay(or(lrDecay, d.lrDecay()))
                .seed(or(seed, d.seed()))
                .valSplit(or(valSplit, d.valSplit()))
                .architecture(Architectures.withView(d.architecture(), views().get(0)))
                .augment(augmented)
                .schedule(schedule == null ? d.schedule() : parseSchedule(schedule))
                .weightDecay(or(weightDecay, d.weightDecay()))
                .restoreBest(or(restoreBest, d.restoreBest()))
                .labelSmoothing(or(labelSmoothing, d.labelSmoothing()))
                .augmentation(bounds)
                .build();
    }

    /**
     * The views the networks take in turn, each checked; {@link #toOptions} gives the first network's, an
     * ensemble's trainer the rest.
     */
    List<String> views() {
        List<String> given = views == null ? List.of(Architectures.PLAIN) : views;
        String network = recipe().defaults().architecture();
        given.forEach(view -> Architectures.withView(network, view));
        return List.copyOf(given);
    }

    private void refuseWithoutAugmentation(String flag, Double value) {
        if (value != null) {
            throw new UserException(flag + ": '" + value + "' needs augmentation, which is off "
                    + (augment == null ? "in recipe " + recipe + " (add --augment)" : "(--no-augment)"));
        }
    }

    Recipe recipe() {
        return Recipe.named(recipe);
    }

    private static TrainingOptions.Schedule parseSchedule(String text) {
        return Arrays.stream(TrainingOptions.Schedule.values()).filter(s -> s.toString().equals(text)).findFirst()
                .orElseThrow(() -> new UserException("--schedule: '" + text + "' is not one of decay, one-cycle"));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
