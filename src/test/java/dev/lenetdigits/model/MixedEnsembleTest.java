package dev.lenetdigits.model;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.inference.Predictions;
import dev.lenetdigits.training.Recipe;
import dev.lenetdigits.training.Trainer;
import dev.lenetdigits.training.TrainingListener;
import dev.lenetdigits.training.TrainingOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lenet-deep, and ensembles whose members are of different architectures. */
class MixedEnsembleTest {
    @TempDir
    Path dir;

    @Test
    void lenetDeepLearnsTheSampleDigits() {
        TrainingOptions options = Recipe.LENET_DEEP.defaults().toBuilder().epochs(5).batchSize(32).seed(4).valSplit(0.2)
                .build();
        Trainer.Result result = new Trainer(options, TrainedModels.cpu(), TrainingListener.NONE)
                .train(DigitFiles.read(Fixtures.kaggleTrain()));
        assertEquals(LeNetDeep.ARCHITECTURE, result.info().architecture());
        assertTrue(result.epochs().get(4).trainLoss() < result.epochs().get(0).trainLoss() / 2, result.epochs().toString());
        // 200 held-out digits after five epochs on 800: far above the 10% of guessing
        assertTrue(result.info().validationAccuracy() > 0.8, result.epochs().toString());
    }

    @Test
    void membersOfDifferentArchitecturesAverageAndRoundTrip() {
        Trainer.Result lenet = TrainedModels.small();
        List<DigitNetwork> members = List.of(lenet.network(), Architectures.create(LeNet.ARCHITECTURE),
                Architectures.create(LeNetDeep.ARCHITECTURE));
        members.forEach(DigitNetwork::eval);
        Ensemble ensemble = new Ensemble(members);
        assertEquals("ensemble-3:lenet*2,lenet-deep*1", ensemble.architecture());
        assertEquals(List.of("lenet", "lenet", "lenet-deep"), Ensemble.memberArchitectures(ensemble.architecture()));

        DigitSet test = DigitFiles.read(Fixtures.kaggleTest());
        ModelInfo info = new ModelInfo(ensemble.architecture(), InputNormalization.MNIST, DigitSet.CLASSES, Double.NaN,
                lenet.info().training());
        Predictions together = new DigitClassifier(ensemble, info, TrainedModels.cpu()).predict(test);
        float[] mean = new float[together.probabilities().length];
        for (DigitNetwork member : members) {
            float[] p = new DigitClassifier(member, info, TrainedModels.cpu()).predict(test).probabilities();
            for (int i = 0; i < mean.length; i++) {
                mean[i] += p[i] / members.size();
            }
        }
        assertArrayEquals(mean, together.probabilities(), 1e-5f);

        Path file = dir.resolve("mixed.pt");
        ModelFile.save(file, ensemble, info);
        ModelFile.Loaded loaded = ModelFile.load(file);
        assertEquals("ensemble-3:lenet*2,lenet-deep*1", loaded.network().architecture());
        Predictions again = new DigitClassifier(loaded.network(), loaded.info(), TrainedModels.cpu()).predict(test);
        assertArrayEquals(together.probabilities(), again.probabilities());
    }

    @Test
    void onlyWellFormedEnsembleNamesAreKnown() {
        assertTrue(Architectures.isKnown("ensemble-5:lenet-plus"));
        assertTrue(Architectures.isKnown("ensemble-3:lenet-plus*1,lenet-deep*2"));
        assertFalse(Architectures.isKnown("ensemble-3:lenet-plus*1,lenet-deep*1"), "counts add to 2, not 3");
        assertFalse(Architectures.isKnown("ensemble-2:lenet*1,resnet*1"));
        assertFalse(Architectures.isKnown("ensemble-2:lenet*one,lenet*1"));
        assertFalse(Architectures.isKnown("ensemble-2:lenet*1,lenet"));
        assertFalse(Architectures.isKnown("ensemble-2:lenet*0,lenet*2"));
        assertFalse(Architectures.isKnown("ensemble-1:lenet"));
    }
}
