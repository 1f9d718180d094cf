package dev.lenetdigits.training;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.Precision;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.inference.Predictions;
import dev.lenetdigits.model.Ensemble;
import dev.lenetdigits.model.InputNormalization;
import dev.lenetdigits.model.LeNetPlus;
import dev.lenetdigits.model.ModelFile;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stronger recipe's parts: lenet-plus, augmentation, one-cycle, best-epoch restore, ensembles. */
class RecipesTest {
    @TempDir
    Path dir;

    private static TrainingOptions plus(int epochs, long seed) {
        return Recipe.LENET_PLUS.defaults().toBuilder().epochs(epochs).batchSize(32).seed(seed).valSplit(0.2).build();
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
        Tensor unit = InputNormalization.toUnit(digits.images().narrow(0, 0, 16));
        Tensor moved = Augmentation.apply(unit, AugmentationOptions.DEFAULTS);
        assertArrayEquals(unit.sizes().vec().get(), moved.sizes().vec().get());
        assertTrue(moved.min().item_double() >= -1e-6 && moved.max().item_double() <= 1 + 1e-6);
        double change = moved.sub(unit).abs().mean().item_double();
        assertTrue(change > 0.01, "images changed by " + change);
        // ink is neither created nor lost wholesale by a small rotation, scale and shift
        double ratio = moved.sum().item_double() / unit.sum().item_double();
        assertTrue(ratio > 0.75 && ratio < 1.25, "ink ratio " + ratio);
    }

    @Test
    void elasticFieldIsSmoothAndAsStrongAsAlphaSays() {
        torch.manual_seed(2);
        TensorOptions floats = new TensorOptions(torch.ScalarType.Float);
        Tensor field = Augmentation.elasticDisplacement(64, 28, 28, 34, 4, floats);
        assertArrayEquals(new long[] {64, 28, 28, 2}, field.sizes().vec().get());
        // in pixels: blurred uniform noise has rms 0.163/sigma away from the border, so about 1.4 pixels here
        Tensor pixels = field.mul(new Scalar(28 / 2.0));
        Tensor inner = pixels.narrow(1, 12, 4).narrow(2, 12, 4);
        double rms = inner.pow(new Scalar(2)).mean().sqrt().item_double();
        assertEquals(34 * 0.163 / 4, rms, 0.35, "rms displacement in pixels");
        // smooth: neighbouring pixels move almost together, unlike raw noise
        Tensor step = pixels.narrow(2, 1, 27).sub(pixels.narrow(2, 0, 27));
        double neighborChange = step.pow(new Scalar(2)).mean().sqrt().item_double();
        assertTrue(neighborChange < rms / 3, "neighbours differ by " + neighborChange + " vs rms " + rms);

        DigitSet digits = DigitFiles.read(Fixtures.kaggleTrain());
        Tensor unit = InputNormalization.toUnit(digits.images().narrow(0, 0, 16));
        torch.manual_seed(3);
        Tensor affineOnly = Augmentation.apply(unit, AugmentationOptions.DEFAULTS);
        torch.manual_seed(3);
        Tensor distorted = Augmentation.apply(unit, AugmentationOptions.DEFAULTS.withElastic(34, 4));
        assertTrue(distorted.min().item_double() >= -1e-6 && distorted.max().item_double() <= 1 + 1e-6);
        double change = distorted.sub(affineOnly).abs().mean().item_double();
        assertTrue(change > 0.01, "elastic distortion changed images by only " + change);
        double ratio = distorted.sum().item_double() / unit.sum().item_double();
        assertTrue(ratio > 0.75 && ratio < 1.25, "ink ratio " + ratio);
    }

    @Test
    void augmentationBoundsAreHonoured() {
        DigitSet digits = DigitFiles.read(Fixtures.kaggleTrain());
        Tensor unit = InputNormalization.toUnit(digits.images().narrow(0, 0, 64));
        // no rotation, zoom or shift: bilinear sampling at the pixel centres gives the digits back
        Tensor still = Augmentation.apply(unit, new AugmentationOptions(0, 0, 0, 0, 4));
        assertEquals(0, still.sub(unit).abs().max().item_double(), 1e-5);
        // shift alone: every digit's ink moves by at most the bound along each axis, and some move far
        torch.manual_seed(4);
        double bound = 3;
        Tensor shifted = Augmentation.apply(unit, new AugmentationOptions(0, 0, bound, 0, 4));
        double[] before = inkCenters(unit);
        double[] after = inkCenters(shifted);
        double largest = 0;
        for (int i = 0; i < before.length; i++) {
            double moved = Math.abs(after[i] - before[i]);
            assertTrue(moved <= bound + 0.25, "digit " + i / 2 + " moved " + moved + " pixels");
            largest = Math.max(largest, moved);
        }
        assertTrue(largest > bound * 0.7, "largest move " + largest + " pixels");
    }

    /** Each image's ink centre (x then y, pixels), from [N,1,28,28]. */
    private static double[] inkCenters(Tensor images) {
        Tensor ink = images.squeeze(1);
        Tensor coords = torch.arange(new Scalar(28)).to(torch.ScalarType.Float);
        Tensor total = ink.sum(new long[] {1, 2}, false, new ScalarTypeOptional());
        Tensor x = ink.mul(coords.view(1, 1, 28)).sum(new long[] {1, 2}, false,
                new ScalarTypeOptional()).div(total);
        Tensor y = ink.mul(coords.view(1, 28, 1)).sum(new long[] {1, 2}, false,
                new ScalarTypeOptional()).div(total);
        Tensor both = torch.stack(new TensorVector(x, y), 1).contiguous();
        float[] out = new float[(int) both.numel()];
        both.data_ptr_float().get(out);
        double[] centers = new double[out.length];
        for (int i = 0; i < out.length; i++) {
            centers[i] = out[i];
        }
        return centers;
    }

    @Test
    void lenetPlusLearnsWithElasticDistortionAndLabelSmoothing() {
        DigitSet digits = DigitFiles.read(Fixtures.kaggleTrain());
        Trainer.Result r = new Trainer(plus(4, 5).toBuilder().labelSmoothing(0.1)
                .augmentation(AugmentationOptions.DEFAULTS.withElastic(34, 4)).build(), TrainedModels.cpu(),
                TrainingListener.NONE).train(digits);
        assertTrue(r.epochs().get(3).trainLoss() < r.epochs().get(0).trainLoss(), r.epochs().toString());
        assertTrue(r.info().validationAccuracy() > 0.5, "validation accuracy " + r.info().validationAccuracy());
        assertEquals("34.0", r.info().training().get("elastic-alpha"));
        assertEquals("0.1", r.info().training().get("label-smoothing"));
    }

    @Test
    void smoothedLossMixesTheTrueClassWithTheUniformTarget() {
        Tensor logits = Tensor.create(new float[] {2, 0, -1, 0.5f, 1, 1, 0, 0, 0, 0,
                0, 3, 0, 0, 0, 0, 0, 0, 0, -2}).view(2, 10);
        Tensor logP = torch.log_softmax(logits, 1);
        Tensor labels = Tensor.create(new long[] {0, 9});
        float[] lp = new float[20];
        logP.contiguous().data_ptr_float().get(lp);
        double nll = -(lp[0] + lp[19]) / 2;
        double uniform = 0;
        for (float v : lp) {
            uniform -= v / 20;
        }
        assertEquals(nll, Trainer.loss(logP, labels, 0).item_double(), 1e-5);
        assertEquals(0.9 * nll + 0.1 * uniform, Trainer.loss(logP, labels, 0.1).item_double(), 1e-5);
    }

    @Test
    void newKnobsAreRecordedAndOldModelFilesReadWithout() {
        TrainingOptions options = Recipe.LENET_PLUS.defaults().toBuilder().labelSmoothing(0.1)
                .augmentation(AugmentationOptions.DEFAULTS.withElastic(30, 5)).build();
        assertEquals(options, TrainingOptions.fromMap(options.asMap()));
        var old = new HashMap<>(Recipe.LENET_PLUS.defaults().asMap());
        old.remove("label-smoothing");
        old.remove("elastic-alpha");
        old.remove("elastic-sigma");
        old.remove("rotate");
        old.remove("zoom");
        old.remove("shift");
        assertEquals(Recipe.LENET_PLUS.defaults(), TrainingOptions.fromMap(old));
        TrainingOptions plain = TrainingOptions.DEFAULTS; // augmentation off
        assertEquals("--elastic-alpha: '34.0' needs augmentation, which --no-augment turned off",
                assertThrows(UserException.class,
                        () -> plain.toBuilder().augmentation(AugmentationOptions.DEFAULTS.withElastic(34, 4)).build())
                        .getMessage());
    }

    /** The precision is one of the settings; checkpoints and manifests keep it where they always had it. */
    @Test
    void precisionIsRecordedWithTheOtherSettings() {
        TrainingOptions bf16 = Recipe.LENET_DEEP.defaults().withPrecision(Precision.BF16);
        assertEquals("bf16", bf16.asMap().get("precision"));
        assertFalse(Recipe.LENET_DEEP.defaults().asMap().containsKey("precision"), "fp32 records stay as they were");
        assertEquals(bf16, TrainingOptions.fromMap(bf16.asMap()));

        Properties p = new Properties();
        bf16.putInto(p);
        assertEquals("bf16", p.getProperty("precision"));
        assertFalse(p.containsKey("option.precision"));
        assertEquals(bf16, TrainingOptions.fromProperties(p));
        p.remove("precision"); // written before precision was recorded
        assertEquals(Recipe.LENET_DEEP.defaults(), TrainingOptions.fromProperties(p));
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
        TrainingOptions options = TrainingOptions.builder().epochs(3).batchSize(32).lrDecay(1).seed(5).valSplit(0.2).build();
        EnsembleTrainer.Result result = new EnsembleTrainer(options, 3, TrainedModels.cpu(), TrainingListener.NONE).train(digits);
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
