package dev.lenetdigits.training;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.inference.Predictions;
import dev.lenetdigits.model.Ensemble;
import dev.lenetdigits.model.LeNetPlus;
import dev.lenetdigits.model.ModelFile;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stronger recipe's parts: lenet-plus, augmentation, one-cycle, best-epoch restore, ensembles. */
class RecipesTest {
    @TempDir
    Path dir;

    private static TrainingOptions plus(int epochs, long seed) {
        TrainingOptions d = Recipe.LENET_PLUS.defaults();
        return new TrainingOptions(epochs, 32, d.lr(), d.optimizer(), d.momentum(), d.lrDecay(), seed, 0.2,
                d.architecture(), d.augment(), d.schedule(), d.weightDecay(), d.restoreBest());
    }

    @Test
    void lenetPlusLearnsWithAugmentationAndIsReproducible() {
        DigitSet digits = DigitFiles.read(Fixtures.kaggleTrain());
        Trainer.Result a = new Trainer(plus(6, 3), TrainedModels.cpu(), TrainingListener.NONE).train(digits);
        Trainer.Result b = new Trainer(plus(6, 3), TrainedModels.cpu(), TrainingListener.NONE).train(digits);
        assertEquals(LeNetPlus.ARCHITECTURE, a.info().architecture());
        assertTrue(a.epochs().get(5).trainLoss() < a.epochs().get(0).trainLoss(), a.epochs().toString());
        assertTrue(TrainedModels.sameWeights(a.network(), b.network()), "same seed, same augmented batches");
        // best-epoch restore: the model file records the best epoch's validation accuracy
        double best = a.epochs().stream().mapToDouble(EpochResult::validationAccuracy).max().orElseThrow();
        assertEquals(best, a.info().validationAccuracy());
    }

    @Test
    void augmentationMovesDigitsButKeepsThemInRange() {
        torch.manual_seed(1);
        DigitSet digits = DigitFiles.read(Fixtures.kaggleTrain());
        Tensor unit = dev.lenetdigits.model.InputNormalization.toUnit(digits.images().narrow(0, 0, 16));
        Tensor moved = Augmentation.apply(unit);
        assertArrayEquals(unit.sizes().vec().get(), moved.sizes().vec().get());
        assertTrue(moved.min().item_double() >= -1e-6 && moved.max().item_double() <= 1 + 1e-6);
        double change = moved.sub(unit).abs().mean().item_double();
        assertTrue(change > 0.01, "images changed by " + change);
        // ink is neither created nor lost wholesale by a small rotation, scale and shift
        double ratio = moved.sum().item_double() / unit.sum().item_double();
        assertTrue(ratio > 0.75 && ratio < 1.25, "ink ratio " + ratio);
    }

    @Test
    void oneCycleRisesThenFalls() {
        Trainer trainer = new Trainer(plus(10, 1), TrainedModels.cpu(), TrainingListener.NONE);
        double peak = plus(10, 1).lr();
        assertEquals(peak / 25, trainer.learningRate(1, 0, 100), 1e-12);
        assertEquals(peak, trainer.learningRate(4, 0, 100), 1e-9); // 30% of 1000 steps
        assertTrue(trainer.learningRate(7, 50, 100) < peak && trainer.learningRate(7, 50, 100) > peak / 25);
        assertTrue(trainer.learningRate(10, 99, 100) < peak / 1000);
    }

    @Test
    void ensembleAveragesItsMembersProbabilitiesAndRoundTrips() {
        DigitSet digits = DigitFiles.read(Fixtures.kaggleTrain());
        TrainingOptions options = new TrainingOptions(3, 32, 0.02, OptimizerKind.SGD, 0.9, 1, 5, 0.2);
        Trainer.Result result = new EnsembleTrainer(options, 3, TrainedModels.cpu(), TrainingListener.NONE).train(digits);
        Ensemble ensemble = (Ensemble) result.network();
        assertEquals("ensemble-3:lenet", ensemble.architecture());
        assertEquals(3, ensemble.size());

        DigitSet test = DigitFiles.read(Fixtures.kaggleTest());
        Predictions together = new DigitClassifier(ensemble, result.info(), TrainedModels.cpu()).predict(test);
        float[] mean = new float[together.probabilities().length];
        for (var member : ensemble.members()) {
            float[] p = new DigitClassifier(member, result.info(), TrainedModels.cpu()).predict(test).probabilities();
            for (int i = 0; i < mean.length; i++) {
                mean[i] += p[i] / 3;
            }
        }
        assertArrayEquals(mean, together.probabilities(), 1e-5f);

        Path file = dir.resolve("ensemble.pt");
        ModelFile.save(file, ensemble, result.info());
        ModelFile.Loaded loaded = ModelFile.load(file);
        assertEquals("ensemble-3:lenet", loaded.network().architecture());
        Predictions again = new DigitClassifier(loaded.network(), loaded.info(), TrainedModels.cpu()).predict(test);
        assertArrayEquals(together.probabilities(), again.probabilities());
        assertFalse(Double.isNaN(loaded.info().validationAccuracy()));
    }
}
