package dev.lenetdigits.model;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.NativeRuntime;
import dev.lenetdigits.inference.DigitClassifier;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Digits scaled along x to one ink width, and networks that see them so. */
class WidthNormalizedTest {
    @TempDir
    Path dir;

    @Test
    void narrowDigitsAreStretchedAndWideOnesSqueezedAboutTheirMiddle() {
        NativeRuntime.load();
        float[] narrow = bar(12, 13, 5, 22); // 2 pixels wide, middle at column 12.5
        float[] wide = bar(4, 23, 12, 15);   // 20 pixels wide, middle at 13.5
        for (int target : new int[] {10, 16}) {
            float[] stretched = Pixels.of(WidthNormalized.normalize(Pixels.tensor(narrow), target));
            float[] squeezed = Pixels.of(WidthNormalized.normalize(Pixels.tensor(wide), target));
            assertEquals(target, inkColumns(stretched).length, 3, "narrow to " + target + ": " + Arrays.toString(inkColumns(stretched)));
            assertEquals(target, inkColumns(squeezed).length, 3, "wide to " + target + ": " + Arrays.toString(inkColumns(squeezed)));
            assertEquals(12.5, middle(stretched), 0.5, "the narrow bar does not move");
            assertEquals(13.5, middle(squeezed), 0.5, "the wide bar does not move");
            assertEquals(rowsWithInk(narrow), rowsWithInk(stretched), "rows are left as they were");
            assertEquals(Pixels.PAPER, squeezed[0], 1e-5, "paper stays paper");
        }
    }

    @Test
    void blankImagesStayBlankAndEachDigitOfABatchIsScaledOnItsOwn() {
        NativeRuntime.load();
        float[] blank = Pixels.blank();
        assertArrayEquals(blank, Pixels.of(WidthNormalized.normalize(Pixels.tensor(blank), 14)), 1e-6f);

        DigitSet digits = DigitFiles.read(Fixtures.kaggleTest());
        Tensor batch = InputNormalization.MNIST.apply(digits.images().narrow(0, 0, 20));
        float[] all = Pixels.of(WidthNormalized.normalize(batch, 14));
        for (int i = 0; i < 20; i++) {
            float[] one = Pixels.of(WidthNormalized.normalize(batch.narrow(0, i, 1), 14));
            assertArrayEquals(one, Arrays.copyOfRange(all, i * 784, (i + 1) * 784), 1e-5f, "digit " + i);
        }
    }

    @Test
    void namesSayTheWidthAndTheNetworkRoundTrips() {
        assertTrue(Architectures.isKnown("lenet-deep+width16"));
        assertTrue(Architectures.isKnown("ensemble-3:lenet-deep*1,lenet-deep+deskew*1,lenet-deep+width12*1"));
        for (String bad : new String[] {"lenet+width3", "lenet+width29", "lenet+width016", "lenet+width", "lenet+widthx",
                "lenet+deskew+width16", "lenet+width16+deskew", "lenet+skew"}) {
            assertFalse(Architectures.isKnown(bad), bad);
        }
        DigitNetwork network = Architectures.create("lenet+width12");
        assertTrue(network instanceof WidthNormalized);
        assertEquals("lenet+width12", network.architecture());

        network.eval();
        ModelInfo info = new ModelInfo(network.architecture(), InputNormalization.MNIST, DigitSet.CLASSES, Double.NaN,
                TrainedModels.shortRun(1).asMap());
        DigitSet test = DigitFiles.read(Fixtures.kaggleTest());
        float[] before = new DigitClassifier(network, info, TrainedModels.cpu()).predict(test).probabilities();
        Path file = dir.resolve("width.pt");
        ModelFile.save(file, network, info);
        ModelFile.Loaded loaded = ModelFile.load(file);
        assertEquals("lenet+width12", loaded.network().architecture());
        assertArrayEquals(before, new DigitClassifier(loaded.network(), loaded.info(), TrainedModels.cpu())
                .predict(test).probabilities());
    }

    private static float[] bar(int firstColumn, int lastColumn, int firstRow, int lastRow) {
        float[] image = Pixels.blank();
        for (int r = firstRow; r <= lastRow; r++) {
            for (int c = firstColumn; c <= lastColumn; c++) {
                image[r * 28 + c] = Pixels.INK;
            }
        }
        return image;
    }

    /** Columns whose brightest pixel is at least half-way to full ink. */
    private static int[] inkColumns(float[] image) {
        return IntStream.range(0, 28).filter(c -> IntStream.range(0, 28)
                .anyMatch(r -> image[r * 28 + c] > (Pixels.PAPER + Pixels.INK) / 2)).toArray();
    }

    private static double middle(float[] image) {
        double mass = 0;
        double sum = 0;
        for (int i = 0; i < 784; i++) {
            mass += image[i] - Pixels.PAPER;
            sum += (image[i] - Pixels.PAPER) * (i % 28);
        }
        return sum / mass;
    }

    private static String rowsWithInk(float[] image) {
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < 28; r++) {
            boolean ink = false;
            for (int c = 0; c < 28; c++) {
                ink |= image[r * 28 + c] > (Pixels.PAPER + Pixels.INK) / 2;
            }
            rows.append(ink ? '#' : '.');
        }
        return rows.toString();
    }
}
