package dev.lenetdigits.model;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.NativeRuntime;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.inference.Predictions;
import dev.lenetdigits.training.Trainer;
import dev.lenetdigits.training.TrainingOptions;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The moment-based deskew, and networks that see deskewed digits. */
class DeskewedTest {
    @TempDir
    Path dir;

    @Test
    void aSlantedStrokeStandsUprightAboutItsCenter() {
        NativeRuntime.load();
        // A two-pixel-wide stroke from (row 4, column 9) down to (row 23, column 18): leaning by 0.47 px a row.
        float[] image = Pixels.blank();
        for (int r = 4; r <= 23; r++) {
            int c = 9 + Math.round((r - 4) * 9 / 19f);
            image[r * 28 + c] = Pixels.INK;
            image[r * 28 + c + 1] = Pixels.INK;
        }
        Moments before = Moments.of(image);
        assertTrue(before.shear() > 0.4, "the stroke leans: " + before.shear());

        float[] straightened = Pixels.of(Deskewed.deskew(Pixels.tensor(image)));
        Moments after = Moments.of(straightened);
        assertEquals(0, after.shear(), 0.03, "no slant left");
        assertEquals(before.row, after.row, 0.05, "the centre does not move down");
        assertEquals(before.column, after.column, 0.25, "nor sideways");
        assertEquals(before.mass, after.mass, before.mass * 0.02, "ink is kept, not lost at the border");
        assertEquals(Pixels.PAPER, straightened[0], 1e-5, "the corner stays paper");
    }

    @Test
    void blankImagesAndUprightDigitsAreLeftAlone() {
        NativeRuntime.load();
        float[] blank = Pixels.blank();
        assertArrayEquals(blank, Pixels.of(Deskewed.deskew(Pixels.tensor(blank))), 1e-6f, "blank: no NaN, no change");

        // An upright bar: nothing to straighten, so (bilinear sampling at the pixel centres) the same pixels.
        float[] bar = Pixels.blank();
        for (int r = 6; r < 22; r++) {
            bar[r * 28 + 13] = Pixels.INK;
            bar[r * 28 + 14] = Pixels.INK;
        }
        assertArrayEquals(bar, Pixels.of(Deskewed.deskew(Pixels.tensor(bar))), 1e-4f);
    }

    @Test
    void eachDigitOfABatchIsStraightenedOnItsOwn() {
        NativeRuntime.load();
        DigitSet digits = DigitFiles.read(Fixtures.kaggleTest());
        Tensor batch = InputNormalization.MNIST.apply(digits.images().narrow(0, 0, 20));
        float[] all = Pixels.of(Deskewed.deskew(batch));
        for (int i = 0; i < 20; i++) {
            float[] one = Pixels.of(Deskewed.deskew(batch.narrow(0, i, 1)));
            float[] fromBatch = Arrays.copyOfRange(all, i * 784, (i + 1) * 784);
            assertArrayEquals(one, fromBatch, 1e-5f, "digit " + i);
            assertTrue(Math.abs(Moments.of(fromBatch).shear()) < 0.05, "digit " + i + " still leans");
        }
    }

    @Test
    void aDeskewedNetworkLearnsIsNamedAndRoundTrips() {
        TrainingOptions o = TrainedModels.shortRun(7);
        TrainingOptions options = o.toBuilder().valSplit(0.2).architecture(LeNet.ARCHITECTURE + Deskewed.SUFFIX).build();
        Trainer.Result result = TrainedModels.train(options);
        assertEquals("lenet+deskew", result.info().architecture());
        assertTrue(result.info().validationAccuracy() > 0.7, result.epochs().toString());

        DigitSet test = DigitFiles.read(Fixtures.kaggleTest());
        Predictions predictions = new DigitClassifier(result.network(), result.info(), TrainedModels.cpu()).predict(test);
        Path file = dir.resolve("deskewed.pt");
        ModelFile.save(file, result.network(), result.info());
        ModelFile.Loaded loaded = ModelFile.load(file);
        assertTrue(loaded.network() instanceof Deskewed);
        assertArrayEquals(predictions.probabilities(),
                new DigitClassifier(loaded.network(), loaded.info(), TrainedModels.cpu()).predict(test).probabilities());

        Ensemble mixed = new Ensemble(List.of(TrainedModels.small().network(), result.network()));
        assertEquals("ensemble-2:lenet*1,lenet+deskew*1", mixed.architecture());
        assertTrue(Architectures.create(mixed.architecture()) instanceof Ensemble);
    }

    @Test
    void onlyKnownNetworksMayBeDeskewed() {
        assertTrue(Architectures.isKnown("lenet-deep+deskew"));
        assertTrue(Architectures.isKnown("ensemble-3:lenet-deep*2,lenet-deep+deskew*1"));
        assertFalse(Architectures.isKnown("lenet+deskew+deskew"));
        assertFalse(Architectures.isKnown("resnet+deskew"));
        assertFalse(Architectures.isKnown("+deskew"));
        UserException e = assertThrows(UserException.class, () -> Architectures.create("lenet+deskew+deskew"));
        assertTrue(e.getMessage().contains("'lenet+deskew+deskew'"), e.getMessage());
    }

    /** Centre of mass and second moments of one image's ink (above the paper level). */
    private record Moments(double mass, double row, double column, double rowVariance, double covariance) {
        static Moments of(float[] image) {
            double m = 0, r = 0, c = 0;
            for (int i = 0; i < 784; i++) {
                double w = image[i] - Pixels.PAPER;
                m += w;
                r += w * (i / 28);
                c += w * (i % 28);
            }
            r /= m;
            c /= m;
            double vr = 0, cov = 0;
            for (int i = 0; i < 784; i++) {
                double w = image[i] - Pixels.PAPER;
                vr += w * (i / 28 - r) * (i / 28 - r);
                cov += w * (i / 28 - r) * (i % 28 - c);
            }
            return new Moments(m, r, c, vr / m, cov / m);
        }

        double shear() {
            return covariance / rowVariance;
        }
    }
}
