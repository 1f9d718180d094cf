package dev.lenetdigits.inference;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.TrainedModels;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** Real labelled digits from the Kaggle fixture, and pictures of them drawn the way people photograph digits. */
final class TestDigits {
    /** The reference LeNet trained on MNIST, once per test run. */
    static Path model() {
        return TrainedModels.mnistModel();
    }

    record Digit(int label, byte[] pixels) {}

    /** The first {@code n} labelled digits of {@code kaggle/train-300.csv}. */
    static List<Digit> labeled(int n) {
        List<String> lines = Fixtures.lines(Fixtures.kaggleTrain());
        List<Digit> out = new ArrayList<>();
        for (String line : lines.subList(1, n + 1)) {
            String[] cells = line.split(",");
            byte[] pixels = new byte[784];
            for (int i = 0; i < 784; i++) {
                pixels[i] = (byte) Integer.parseInt(cells[i + 1]);
            }
            out.add(new Digit(Integer.parseInt(cells[0]), pixels));
        }
        return out;
    }

    /**
     * Draws a 28×28 digit (0 = background, 255 = ink) as a {@code width}×{@code height} colour picture:
     * the digit enlarged {@code scale} times (bilinear), {@code ink} strokes on {@code paper}, its 28×28
     * field's top-left corner at ({@code left}, {@code top}).
     */
    static BufferedImage draw(byte[] pixels, int width, int height, double scale, int left, int top,
                              Color paper, Color ink) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double a = sample(pixels, (x - left + 0.5) / scale - 0.5, (y - top + 0.5) / scale - 0.5) / 255.0;
                int r = (int) Math.round(paper.getRed() * (1 - a) + ink.getRed() * a);
                int g = (int) Math.round(paper.getGreen() * (1 - a) + ink.getGreen() * a);
                int b = (int) Math.round(paper.getBlue() * (1 - a) + ink.getBlue() * a);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    /** Dark blue ink on cream paper, the digit enlarged 3.5× in a 130×110 picture, off centre. */
    static BufferedImage darkOnLight(byte[] pixels) {
        return draw(pixels, 130, 110, 3.5, 20, 5, new Color(236, 230, 212), new Color(20, 30, 90));
    }

    /** Bilinear sample of the 28×28 digit at (fx, fy) in pixel-centre coordinates; 0 outside. */
    private static double sample(byte[] pixels, double fx, double fy) {
        int x0 = (int) Math.floor(fx);
        int y0 = (int) Math.floor(fy);
        double tx = fx - x0;
        double ty = fy - y0;
        return at(pixels, x0, y0) * (1 - tx) * (1 - ty) + at(pixels, x0 + 1, y0) * tx * (1 - ty)
                + at(pixels, x0, y0 + 1) * (1 - tx) * ty + at(pixels, x0 + 1, y0 + 1) * tx * ty;
    }

    private static int at(byte[] pixels, int x, int y) {
        return x < 0 || y < 0 || x >= 28 || y >= 28 ? 0 : pixels[y * 28 + x] & 0xff;
    }

    static Path write(BufferedImage image, String format, Path file) {
        try {
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage readBack(Path file) {
        try {
            return ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Centre of mass (x, y) of a 28×28 digit, in pixel-centre coordinates (the field's centre is 14, 14). */
    static double[] centerOfMass(byte[] pixels) {
        double m = 0, mx = 0, my = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = pixels[y * 28 + x] & 0xff;
                m += v;
                mx += v * (x + 0.5);
                my += v * (y + 0.5);
            }
        }
        return new double[] {mx / m, my / m};
    }

    /** The bounding box of pixels above {@code threshold}: {minX, minY, width, height}. */
    static int[] inkBox(byte[] pixels, int threshold) {
        int minX = 28, minY = 28, maxX = -1, maxY = -1;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                if ((pixels[y * 28 + x] & 0xff) > threshold) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return new int[] {minX, minY, maxX - minX + 1, maxY - minY + 1};
    }

    /** Mean absolute difference of two 28×28 digits, in grey levels. */
    static double meanAbsoluteDifference(byte[] a, byte[] b) {
        double sum = 0;
        for (int i = 0; i < 784; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return sum / 784;
    }

    private TestDigits() {}
}
