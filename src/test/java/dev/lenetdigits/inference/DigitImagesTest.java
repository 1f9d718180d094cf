package dev.lenetdigits.inference;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.UserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real digits drawn as pictures come back in MNIST's form: bright ink, 20×20 box, centred by mass. */
class DigitImagesTest {
    @TempDir
    Path dir;

    private final List<TestDigits.Digit> digits = TestDigits.labeled(40);

    @Test
    void aDigitDrawnLargerDarkOnLightComesBackInMnistForm() {
        double total = 0;
        for (int i = 0; i < digits.size(); i++) {
            byte[] original = digits.get(i).pixels();
            Path png = TestDigits.write(TestDigits.darkOnLight(original), "png", dir.resolve(i + ".png"));
            byte[] back = DigitImages.readMnist(png);

            int[] box = TestDigits.inkBox(back, 0);
            assertEquals(20, Math.max(box[2], box[3]), "longer side of the ink fills the 20×20 box: digit " + i);
            assertTrue(box[0] >= 0 && box[1] >= 0 && box[0] + box[2] <= 28 && box[1] + box[3] <= 28);
            double[] com = TestDigits.centerOfMass(back);
            assertEquals(14, com[0], 0.5, "centre of mass x, digit " + i);
            assertEquals(14, com[1], 0.5, "centre of mass y, digit " + i);
            int max = 0;
            for (byte b : back) {
                max = Math.max(max, b & 0xff);
            }
            assertEquals(255, max, "the strongest ink is 255, as in MNIST");
            assertEquals(0, back[0], "the corner is background");
            total += TestDigits.meanAbsoluteDifference(original, back);
        }
        // MNIST digits are already in this form, so the round trip lands close to where it started
        // (measured: a mean of 16 grey levels per pixel over 300 digits, mostly edge anti-aliasing)
        assertTrue(total / digits.size() < 22, "mean difference " + total / digits.size());
    }

    @Test
    void lightInkOnDarkPaperGivesTheSameDigitAsDarkOnLight() {
        for (TestDigits.Digit d : digits.subList(0, 10)) {
            BufferedImage darkOnLight = TestDigits.draw(d.pixels(), 100, 100, 3, 10, 10, Color.WHITE, Color.BLACK);
            BufferedImage lightOnDark = TestDigits.draw(d.pixels(), 100, 100, 3, 10, 10, Color.BLACK, Color.WHITE);
            assertArrayEquals(DigitImages.toMnist(darkOnLight), DigitImages.toMnist(lightOnDark));
        }
    }

    @Test
    void grayPngsAreReadAsStoredAndMatchTheColorPicture() {
        byte[] pixels = digits.get(3).pixels();
        BufferedImage color = TestDigits.draw(pixels, 90, 90, 2.5, 5, 12, Color.WHITE, Color.BLACK);
        BufferedImage gray = new BufferedImage(90, 90, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 90; y++) {
            for (int x = 0; x < 90; x++) {
                gray.getRaster().setSample(x, y, 0, color.getRGB(x, y) & 0xff);
            }
        }
        Path png = TestDigits.write(gray, "png", dir.resolve("grey.png"));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, TestDigits.readBack(png).getType());
        assertArrayEquals(DigitImages.toMnist(color), DigitImages.readMnist(png));
    }

    @Test
    void strokesOnATransparentBackgroundCountAsInk() {
        byte[] pixels = digits.get(5).pixels();
        BufferedImage opaque = TestDigits.draw(pixels, 80, 80, 2.5, 5, 5, Color.WHITE, Color.BLACK);
        BufferedImage transparent = new BufferedImage(80, 80, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 80; y++) {
            for (int x = 0; x < 80; x++) {
                int alpha = 255 - (opaque.getRGB(x, y) & 0xff); // black strokes, alpha = ink
                transparent.setRGB(x, y, alpha << 24);
            }
        }
        byte[] fromTransparent = DigitImages.readMnist(TestDigits.write(transparent, "png", dir.resolve("t.png")));
        assertTrue(TestDigits.meanAbsoluteDifference(DigitImages.toMnist(opaque), fromTransparent) < 2);
    }

    @Test
    void aTinyDigitIsEnlargedToTheBox() {
        BufferedImage small = TestDigits.draw(digits.get(7).pixels(), 20, 20, 0.7, 0, 0, Color.WHITE, Color.BLACK);
        byte[] back = DigitImages.toMnist(small);
        int[] box = TestDigits.inkBox(back, 0);
        assertEquals(20, Math.max(box[2], box[3]));
    }

    @Test
    void anImageWithNoInkIsAnErrorNotAGuess() {
        BufferedImage blank = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        NoInkException e = assertThrows(NoInkException.class, () -> DigitImages.toMnist(blank, "blank.png"));
        assertTrue(e.getMessage().startsWith("blank.png: no ink found (64×48 image"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        // a smudge 20 grey levels darker than the paper is not a digit
        BufferedImage faint = TestDigits.draw(digits.get(0).pixels(), 64, 64, 2, 4, 4,
                new Color(200, 200, 200), new Color(180, 180, 180));
        e = assertThrows(NoInkException.class, () -> DigitImages.toMnist(faint, "faint.png"));
        assertTrue(e.getMessage().contains("contrast 20 of 255"), e.getMessage());
    }

    @Test
    void filesThatAreNotImagesAreOneLineErrors() throws IOException {
        UserException missing = assertThrows(UserException.class, () -> DigitImages.read(dir.resolve("none.png")));
        assertEquals(dir.resolve("none.png") + ": no such file", missing.getMessage());
        UserException csv = assertThrows(UserException.class, () -> DigitImages.read(Fixtures.kaggleTest()));
        assertTrue(csv.getMessage().endsWith("not an image this tool reads (PNG, JPEG, BMP or GIF)"), csv.getMessage());
        Path truncated = Files.write(dir.resolve("cut.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        UserException cut = assertThrows(UserException.class, () -> DigitImages.read(truncated));
        assertTrue(cut.getMessage().startsWith(truncated + ": not a readable image ("), cut.getMessage());
        assertTrue(DigitImages.looksLikeImage(TestDigits.write(TestDigits.darkOnLight(digits.get(0).pixels()), "bmp",
                dir.resolve("d.bmp"))));
        assertFalse(DigitImages.looksLikeImage(Fixtures.kaggleTest()));
    }
}
