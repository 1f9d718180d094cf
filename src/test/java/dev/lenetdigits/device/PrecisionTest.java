package dev.lenetdigits.device;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.inference.Predictions;
import dev.lenetdigits.model.LeNet;
import dev.lenetdigits.scoring.EvaluationReport;
import dev.lenetdigits.training.EpochResult;
import dev.lenetdigits.training.Trainer;
import dev.lenetdigits.training.TrainingListener;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrecisionTest {
    @Test
    void bf16RunsLinearAlgebraInBfloat16InsideItsScopeOnly() {
        ComputeDevice bf16 = TrainedModels.cpu().withPrecision(Precision.BF16);
        Tensor a = torch.rand(4, 8);
        Tensor b = torch.rand(8, 3);
        try (var scope = bf16.autocast()) {
            assertEquals("BFloat16", typeOf(torch.matmul(a, b)));
            LeNet network = new LeNet();
            assertEquals("Float", typeOf(network.forward(torch.rand(2, 1, 28, 28))),
                    "the network's log-probabilities stay float32");
        }
        assertEquals("Float", typeOf(torch.matmul(a, b)));
        assertFalse(torch.is_autocast_enabled(torch.DeviceType.CPU));
        try (var scope = TrainedModels.cpu().autocast()) {
            assertEquals("Float", typeOf(torch.matmul(a, b)), "fp32 changes nothing");
        }
    }

    @Test
    void bf16TrainingLearnsAndIsRecorded() {
        DigitSet digits = DigitFiles.read(Fixtures.kaggleTrain());
        Trainer.Result result = new Trainer(TrainedModels.shortRun(7).withPrecision(Precision.BF16), TrainedModels.cpu(),
                TrainingListener.NONE).train(digits);
        ComputeDevice bf16 = TrainedModels.cpu().withPrecision(Precision.BF16);
        List<EpochResult> epochs = result.epochs();
        assertTrue(epochs.get(5).trainLoss() < epochs.get(0).trainLoss() / 2,
                "loss " + epochs.get(0).trainLoss() + " -> " + epochs.get(5).trainLoss());
        Predictions p = new DigitClassifier(result.network(), result.info(), bf16).predict(digits);
        double accuracy = EvaluationReport.of(digits.labelArray(), p.labels(), 10).accuracy();
        assertTrue(accuracy > 0.8, "accuracy on its own digits " + accuracy + " (chance is 0.1)");
        assertEquals("bf16", result.info().training().get("precision"));
        assertFalse(TrainedModels.small().info().training().containsKey("precision"), "fp32 files stay as they were");
    }

    /**
     * On the reference model: a network trained on the 300 fixture digits sits so near ties that bfloat16's
     * rounding flipped 14 of 100 answers on an AMD EPYC with AVX512-BF16 (none on the machine the test was
     * written on), which says more about that network than about bf16.
     */
    @Test
    void bf16InferenceAgreesWithFp32() {
        Trainer.Result model = TrainedModels.mnistReference();
        DigitSet test = DigitFiles.read(Fixtures.kaggleTest());
        Predictions fp32 = new DigitClassifier(model.network(), model.info(), TrainedModels.cpu()).predict(test);
        Predictions bf16 = new DigitClassifier(model.network(), model.info(),
                TrainedModels.cpu().withPrecision(Precision.BF16)).predict(test);
        int same = 0;
        for (int i = 0; i < test.size(); i++) {
            same += fp32.labels()[i] == bf16.labels()[i] ? 1 : 0;
        }
        assertTrue(same >= 0.98 * test.size(), same + " of " + test.size() + " digits get the same answer");
        // bfloat16 keeps 8 bits of mantissa: near a tie one probability can move by 0.1 or more (0.139 seen),
        // so the bound is on the mean
        double total = 0;
        float worst = 0;
        for (int i = 0; i < fp32.probabilities().length; i++) {
            float difference = Math.abs(fp32.probabilities()[i] - bf16.probabilities()[i]);
            total += difference;
            worst = Math.max(worst, difference);
        }
        double mean = total / fp32.probabilities().length;
        System.out.printf("bf16 against fp32: %d of %d answers the same, probability difference mean %.5f, largest %.4f%n",
                same, test.size(), mean, worst);
        assertTrue(mean < 0.002, "mean probability difference " + mean + " (largest " + worst + ")");
    }

    private static String typeOf(Tensor t) {
        return t.scalar_type().toString();
    }
}
