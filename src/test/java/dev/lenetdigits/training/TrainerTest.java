package dev.lenetdigits.training;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.inference.EvaluationReport;
import dev.lenetdigits.inference.Predictions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    @Test
    void lossFallsAndTheModelLearnsItsDigits() {
        Trainer.Result result = TrainedModels.small();
        List<EpochResult> epochs = result.epochs();
        assertEquals(6, epochs.size());
        assertTrue(epochs.get(5).trainLoss() < epochs.get(0).trainLoss() / 2,
                "loss " + epochs.get(0).trainLoss() + " -> " + epochs.get(5).trainLoss());

        DigitSet digits = DigitFiles.read(Fixtures.kaggleTrain());
        Predictions p = new DigitClassifier(result.network(), result.info(), TrainedModels.cpu()).predict(digits);
        double accuracy = EvaluationReport.of(digits.labelArray(), p.labels(), 10).accuracy();
        assertTrue(accuracy > 0.8, "accuracy on its own digits " + accuracy + " (chance is 0.1)");
    }

    @Test
    void sameSeedGivesIdenticalPredictions() {
        TrainingOptions options = new TrainingOptions(1, 32, 0.02, OptimizerKind.SGD, 0.9, 1, 11, 0.2);
        Trainer.Result a = TrainedModels.train(options);
        Trainer.Result b = TrainedModels.train(options);
        DigitSet test = DigitFiles.read(Fixtures.kaggleTest());
        Predictions pa = new DigitClassifier(a.network(), a.info(), TrainedModels.cpu()).predict(test);
        Predictions pb = new DigitClassifier(b.network(), b.info(), TrainedModels.cpu()).predict(test);
        assertArrayEquals(pa.labels(), pb.labels());
        assertArrayEquals(pa.probabilities(), pb.probabilities());
        assertEquals(a.epochs().get(0).validationAccuracy(), b.epochs().get(0).validationAccuracy());
    }

    @Test
    void adamTrainsToo() {
        TrainingOptions options = new TrainingOptions(3, 32, 0.001, OptimizerKind.ADAM, 0, 1, 3, 0.0);
        List<EpochResult> epochs = TrainedModels.train(options).epochs();
        assertTrue(epochs.get(2).trainLoss() < epochs.get(0).trainLoss());
    }

    @Test
    void divergenceStopsWithAClearMessage() {
        TrainingOptions options = new TrainingOptions(2, 10, 10, OptimizerKind.SGD, 0.99, 1, 3, 0.0);
        String message = assertThrows(UserException.class, () -> TrainedModels.train(options)).getMessage();
        assertTrue(message.startsWith("training diverged: loss is"), message);
        assertTrue(message.contains("try a smaller --lr"), message);
    }

    /**
     * The run on the fixture's 300 rows: before the finite check it ended with a loss in the tens of
     * thousands and 8% accuracy, and a model was written.
     */
    @Test
    void aLossThatExplodesButStaysFiniteStopsTrainingToo() {
        TrainingOptions options = new TrainingOptions(3, 10, 10, OptimizerKind.SGD, 0.99, 0.7, 1, 0.1);
        String message = assertThrows(UserException.class, () -> TrainedModels.train(options)).getMessage();
        assertTrue(message.startsWith("training diverged: loss is "), message);
        double loss = Double.parseDouble(message.substring("training diverged: loss is ".length()).split(" ")[0]);
        assertTrue(Double.isFinite(loss) && loss > Trainer.DIVERGED_OVER_UNIFORM * Math.log(10), message);
        assertTrue(message.contains("at epoch 1, step 27 (learning rate 10.0000), over 3 times the 2.30 that guessing "
                + "uniformly costs; try a smaller --lr"), message);
    }

    @Test
    void aRunThatEndsAtChanceIsSaidToAndANormalOneIsNot() {
        DigitSet digits = DigitFiles.read(Fixtures.kaggleTrain());
        int[] labels = digits.labelArray();
        // a learning rate far too small: the loss stays near ln 10 (no divergence), the accuracy at chance
        Trainer.Result idle = TrainedModels.train(new TrainingOptions(1, 32, 1e-4, OptimizerKind.SGD, 0.9, 0.7, 1, 0.1));
        assertTrue(idle.epochs().get(0).trainLoss() > 2, "loss " + idle.epochs().get(0).trainLoss());
        String warning = ChanceLevel.of(idle, labels).orElseThrow();
        assertTrue(warning.startsWith("warning: validation accuracy "), warning);
        assertTrue(warning.contains("is at chance level: always answering class 6, the most common, scores 12.00% on "
                + "this file"), warning);

        Trainer.Result learned = TrainedModels.small(); // no validation split: judged on training accuracy
        assertEquals(java.util.Optional.empty(), ChanceLevel.of(learned, labels));
    }

    @Test
    void chanceIsWhatAnsweringTheMostCommonClassScores() {
        int[] balanced = new int[100];
        for (int i = 0; i < 100; i++) {
            balanced[i] = i % 10;
        }
        assertTrue(ChanceLevel.warning("validation accuracy", 0.19, balanced).isPresent());
        assertTrue(ChanceLevel.warning("validation accuracy", 0.20, balanced).isEmpty());
        int[] skewed = new int[100];
        for (int i = 0; i < 100; i++) {
            skewed[i] = i < 60 ? 3 : i % 10;
        }
        String said = ChanceLevel.warning("training accuracy", 0.65, skewed).orElseThrow();
        assertTrue(said.startsWith("warning: training accuracy 65.00% is at chance level: always answering class 3, "
                + "the most common, scores 64.00% on this file"), said);
        assertTrue(ChanceLevel.warning("training accuracy", 0.75, skewed).isEmpty());
        assertTrue(ChanceLevel.warning("validation accuracy", Double.NaN, skewed).isEmpty());
    }

    @Test
    void unlabelledFileCannotBeTrainedOn() {
        DigitSet test = DigitFiles.read(Fixtures.kaggleTest());
        Trainer trainer = new Trainer(TrainedModels.shortRun(1), TrainedModels.cpu(), TrainingListener.NONE);
        assertTrue(assertThrows(UserException.class, () -> trainer.train(test)).getMessage().contains("has no labels"));
    }

    @Test
    void badOptionsAreRejectedWithTheFlagName() {
        assertEquals("--epochs: '0' is not an integer 1-10000", assertThrows(UserException.class,
                () -> new TrainingOptions(0, 32, 0.1, OptimizerKind.SGD, 0.9, 1, 1, 0.1)).getMessage());
        assertEquals("--val-split: '0.9' is not a number in [0, 0.5]", assertThrows(UserException.class,
                () -> new TrainingOptions(1, 32, 0.1, OptimizerKind.SGD, 0.9, 1, 1, 0.9)).getMessage());
    }
}
