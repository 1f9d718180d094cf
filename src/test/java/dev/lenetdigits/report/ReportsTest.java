package dev.lenetdigits.report;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.training.EpochResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportsTest {
    @TempDir
    Path dir;

    @Test
    void trainingCurvesArePngsWithBothCharts() throws IOException {
        List<EpochResult> epochs = List.of(
                new EpochResult(1, 3, 0.5, 0.85, 0.2, 0.93, 1, 100),
                new EpochResult(2, 3, 0.1, 0.97, 0.08, 0.975, 1, 100),
                new EpochResult(3, 3, 0.05, 0.985, 0.06, 0.98, 1, 100));
        Path png = TrainingCurves.besideModel(dir.resolve("m.pt"));
        assertEquals("m.pt.curves.png", png.getFileName().toString());
        TrainingCurves.write(png, epochs, "lenet");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1280, image.getWidth());
        assertEquals(420, image.getHeight());
    }

    @Test
    void anEnsemblesCurvesDrawEachMemberAndSkipOnesWithoutEpochs() throws IOException {
        List<EpochResult> a = List.of(new EpochResult(1, 2, 0.5, 0.85, 0.2, 0.93, 1, 100),
                new EpochResult(2, 2, 0.1, 0.97, 0.08, 0.975, 1, 100));
        List<EpochResult> c = List.of(new EpochResult(1, 2, 0.6, 0.80, 0.3, 0.90, 1, 100),
                new EpochResult(2, 2, 0.2, 0.95, 0.1, 0.96, 1, 100));
        Path png = dir.resolve("e.pt.curves.png");
        TrainingCurves.writeMembers(png, List.of(a, List.of(), c), "ensemble-3:lenet");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1280, image.getWidth());
        assertEquals(List.of(png), Files.list(dir).toList(), "no temporary left behind");
    }

    @Test
    void errorGridDrawsEachMisclassifiedDigit() throws IOException {
        DigitSet digits = DigitFiles.read(Fixtures.kaggleTrain());
        int[] truth = digits.labelArray();
        int[] predicted = truth.clone();
        for (int i : new int[] {3, 17, 150, 151, 299}) {
            predicted[i] = (truth[i] + 1) % 10;
        }
        Path png = dir.resolve("errors.png");
        assertEquals(5, ErrorGrid.write(png, digits.pixelBytes(), truth, predicted, 200));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(10 * 84, image.getWidth());
        assertEquals(84 + 32, image.getHeight(), "one row of five");
        // the first cell holds digit #4's ink, the sixth (none drawn) stays paper
        assertTrue(darkPixels(image, 0) > 50);
        assertEquals(0, darkPixels(image, 5));
        assertNotEquals(0, darkPixels(image, 4));

        assertEquals(5, ErrorGrid.write(png, digits.pixelBytes(), truth, predicted, 2));
        assertEquals(84 + 32, ImageIO.read(png.toFile()).getHeight());
    }

    private static int darkPixels(BufferedImage image, int cell) {
        int n = 0;
        for (int y = 0; y < 84; y++) {
            for (int x = cell * 84 + 1; x < cell * 84 + 83; x++) {
                n += (image.getRGB(x, y) & 0xFF) < 128 ? 1 : 0;
            }
        }
        return n;
    }
}
