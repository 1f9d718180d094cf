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
