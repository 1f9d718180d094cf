package dev.lenetdigits.training;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.inference.Predictions;
import dev.lenetdigits.scoring.EvaluationReport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        TrainingOptions options = TrainingOptions.builder().epochs(1).batchSize(32).lrDecay(1).seed(11).valSplit(0.2).build();
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
    void theListenerHearsEveryEpochAndTheRunsNotes() {
        List<String> heard = new ArrayList<>();
        TrainingListener recording = new TrainingListener() {
            @Override
            public void epochFinished(EpochResult result) {
                heard.add("epoch " + result.epoch());
            }

            @Override
            public void note(String line) {
                heard.add(line);
            }
        };
        TrainingOptions options = TrainingOptions.builder().epochs(2).batchSize(32).valSplit(0.2).restoreBest(true).build();
        new Trainer(options, TrainedModels.cpu(), recording).train(DigitFiles.read(Fixtures.kaggleTrain()));
        assertEquals(3, heard.size(), heard.toString());
        assertEquals(List.of("epoch 1", "epoch 2"), heard.subList(0, 2));
        assertTrue(heard.get(2).matches("kept the weights of epoch [12] \\(best validation accuracy \\d+\\.\\d\\d%\\)"),
                heard.get(2));
    }

    @Test
    void adamTrainsToo() {
        TrainingOptions options = TrainingOptions.builder().epochs(3).batchSize(32).lr(0.001).optimizer(OptimizerKind.ADAM)
                .momentum(0).lrDecay(1).seed(3).valSplit(0).build();
        List<EpochResult> epochs = TrainedModels.train(options).epochs();
        assertTrue(epochs.get(2).trainLoss() < epochs.get(0).trainLoss());
    }

    @Test
    void divergenceStopsWithAClearMessage() {
        TrainingOptions options = TrainingOptions.builder().epochs(2).batchSize(10).lr(10).momentum(0.99).lrDecay(1)
                .seed(3).valSplit(0).build();
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
        TrainingOptions options = TrainingOptions.builder().epochs(3).batchSize(10).lr(10).optimizer(OptimizerKind.SGD)
                .momentum(0.99).lrDecay(0.7).seed(1).valSplit(0.1).build();
        String message = assertThrows(UserException.class, () -> TrainedModels.train(options)).getMessage();
        assertTrue(message.startsWith("training diverged: loss is "), message);
        double loss = Double.parseDouble(message.substring("training diverged: loss is ".length()).split(" ")[0]);
        assertTrue(Double.isFinite(loss)
                && loss > DivergenceCheck.DIVERGED_OVER_UNIFORM * DivergenceCheck.UNIFORM_LOSS, message);
        assertTrue(message.contains("at epoch 1, step 27 (learning rate 10.0000), over 3 times the 2.30 that guessing "
                + "uniformly costs; try a smaller --lr"), message);
    }

    @Test
    void aRunThatEndsAtChanceIsSaidToAndANormalOneIsNot() {
        DigitSet digits = DigitFiles.read(Fixtures.kaggleTrain());
        int[] labels = digits.labelArray();
        // a learning rate far too small: the loss stays near ln 10 (no divergence), the accuracy at chance
        Trainer.Result idle = TrainedModels.train(TrainingOptions.builder().epochs(1).batchSize(32).lr(1e-4)
                .optimizer(OptimizerKind.SGD).momentum(0.9).lrDecay(0.7).seed(1).valSplit(0.1).build());
        assertTrue(idle.epochs().get(0).trainLoss() > 2, "loss " + idle.epochs().get(0).trainLoss());
        String warning = ChanceLevel.of(idle, labels).orElseThrow();
        assertTrue(warning.startsWith("warning: validation accuracy "), warning);
        assertTrue(warning.contains("is at chance level: always answering class 6, the most common, scores 12.00% on "
                + "this file"), warning);

        Trainer.Result learned = TrainedModels.small(); // no validation split: judged on training accuracy
        assertEquals(Optional.empty(), ChanceLevel.of(learned, labels));
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
    void unlabeledFileCannotBeTrainedOn() {
        DigitSet test = DigitFiles.read(Fixtures.kaggleTest());
        Trainer trainer = new Trainer(TrainedModels.shortRun(1), TrainedModels.cpu(), TrainingListener.NONE);
        assertTrue(assertThrows(UserException.class, () -> trainer.train(test)).getMessage().contains("has no labels"));
    }

    @Test
    void badOptionsAreRejectedWithTheFlagName() {
        assertEquals("--epochs: '0' is not an integer 1-10000", assertThrows(UserException.class,
                () -> TrainingOptions.builder().epochs(0).batchSize(32).lr(0.1).lrDecay(1).build()).getMessage());
        assertEquals("--val-split: '0.9' is not a number in [0, 0.5]", assertThrows(UserException.class,
                () -> TrainingOptions.builder().epochs(1).batchSize(32).lr(0.1).lrDecay(1).valSplit(0.9).build())
                .getMessage());
    }
}
