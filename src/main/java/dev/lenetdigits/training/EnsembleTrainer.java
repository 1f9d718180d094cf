package dev.lenetdigits.training;

import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.model.DigitNetwork;
import dev.lenetdigits.model.Ensemble;
import dev.lenetdigits.model.InputNormalization;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains K members of one recipe with seeds seed, seed+1, … on the same training digits, measures each and
 * the whole on the same validation digits, and returns them as one {@link Ensemble}.
 */
public final class EnsembleTrainer {
    private final TrainingOptions options;
    private final int members;
    private final ComputeDevice device;
    private final TrainingListener listener;

    public EnsembleTrainer(TrainingOptions options, int members, ComputeDevice device, TrainingListener listener) {
        if (members < 2 || members > 100) {
            throw new UserException("--ensemble: '" + members + "' is not an integer 2-100");
        }
        this.options = options;
        this.members = members;
        this.device = device;
        this.listener = listener;
    }

    public Trainer.Result train(DigitSet labelled) {
        if (!labelled.hasLabels()) {
            throw new UserException(labelled.source() + ": has no labels; training needs a labelled file");
        }
        DigitSet.Split split = labelled.split(options.valSplit(), options.seed()); // one split for all members
        List<DigitNetwork> trained = new ArrayList<>();
        List<EpochResult> history = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            System.err.printf(Locale.ROOT, "ensemble member %d/%d (seed %d)%n", i + 1, members, options.seed() + i);
            Trainer.Result member = new Trainer(options.withSeed(options.seed() + i), device, listener)
                    .train(split.train(), split.validation());
            trained.add(member.network());
            history.addAll(member.epochs());
            if (split.validation() != null) {
                System.err.printf(Locale.ROOT, "member %d validation accuracy %.2f%%%n", i + 1,
                        100 * member.info().validationAccuracy());
            }
        }
        Ensemble ensemble = new Ensemble(trained);
        ensemble.eval();
        double accuracy = Double.NaN;
        if (split.validation() != null) {
            accuracy = Trainer.lossAndAccuracy(ensemble, InputNormalization.MNIST, split.validation().to(device))[1];
            System.err.printf(Locale.ROOT, "ensemble of %d: validation accuracy %.2f%%%n", members, 100 * accuracy);
        }
        return new Trainer.Result(ensemble, Trainer.describe(ensemble, options, accuracy), history);
    }
}
