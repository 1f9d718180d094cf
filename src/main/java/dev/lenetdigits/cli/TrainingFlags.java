package dev.lenetdigits.cli;

import dev.lenetdigits.training.OptimizerKind;
import dev.lenetdigits.training.TrainingOptions;
import picocli.CommandLine.Option;

/** The training knobs as flags; each default comes from {@link TrainingOptions#DEFAULTS}. */
final class TrainingFlags {
    private static final TrainingOptions D = TrainingOptions.DEFAULTS;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training digits (default: 3).")
    int epochs = D.epochs();

    @Option(names = "--batch-size", paramLabel = "N", description = "Digits per step (default: 64).")
    int batchSize = D.batchSize();

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: 0.02).")
    double lr = D.lr();

    @Option(names = "--optimizer", paramLabel = "sgd|adam", description = "Optimizer (default: sgd).")
    OptimizerKind optimizer = D.optimizer();

    @Option(names = "--momentum", paramLabel = "X", description = "SGD momentum (default: 0.9).")
    double momentum = D.momentum();

    @Option(names = "--lr-decay", paramLabel = "X",
            description = "Multiply the learning rate by this after each epoch (default: 0.7).")
    double lrDecay = D.lrDecay();

    @Option(names = "--seed", paramLabel = "N", description = "Seeds weights, shuffling and the split (default: 1).")
    long seed = D.seed();

    @Option(names = "--val-split", paramLabel = "F",
            description = "Fraction of the training file held out for validation, 0-0.5 (default: 0.1).")
    double valSplit = D.valSplit();

    TrainingOptions toOptions() {
        return new TrainingOptions(epochs, batchSize, lr, optimizer, momentum, lrDecay, seed, valSplit);
    }
}
