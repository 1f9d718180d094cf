package dev.lenetdigits.report;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.data.DigitSet;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * A PNG grid of misclassified digits, each drawn as ink on paper with "true → predicted" and its 1-based
 * position in the input beneath it, so a person can see what the model gets wrong (and whether the labels
 * are right).
 */
public final class ErrorGrid {
    private static final int SCALE = 3;
    private static final int CELL = 28 * SCALE;
    private static final int CAPTION = 32;
    private static final int COLUMNS = 10;

    private ErrorGrid() {}

    /**
     * @param pixels    the digits' pixels, N×784 row-major (0 = paper, 255 = ink)
     * @param truth     true labels
     * @param predicted predicted labels
     * @param limit     at most this many errors are drawn (the first ones, in input order)
     * @return how many errors there were in all
     */
    public static int write(Path png, byte[] pixels, int[] truth, int[] predicted, int limit) {
        int errors = 0;
        for (int i = 0; i < truth.length; i++) {
            errors += truth[i] != predicted[i] ? 1 : 0;
        }
        int shown = Math.min(errors, limit);
        int rows = Math.max(1, (shown + COLUMNS - 1) / COLUMNS);
        BufferedImage image = new BufferedImage(COLUMNS * CELL, rows * (CELL + CAPTION), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        Font big = new Font(Font.SANS_SERIF, Font.BOLD, 13);
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
        int cell = 0;
        for (int i = 0; i < truth.length && cell < shown; i++) {
            if (truth[i] == predicted[i]) {
                continue;
            }
            int left = (cell % COLUMNS) * CELL;
            int top = (cell / COLUMNS) * (CELL + CAPTION);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int ink = pixels[i * DigitSet.PIXELS + y * 28 + x] & 0xFF;
                    g.setColor(new Color(255 - ink, 255 - ink, 255 - ink));
                    g.fillRect(left + x * SCALE, top + y * SCALE, SCALE, SCALE);
                }
            }
            g.setColor(new Color(200, 200, 200));
            g.drawRect(left, top, CELL - 1, CELL - 1);
            g.setColor(Color.BLACK);
            g.setFont(big);
            g.drawString(truth[i] + " → " + predicted[i], left + 4, top + CELL + 14);
            g.setColor(Color.GRAY);
            g.setFont(small);
            g.drawString("#" + (i + 1), left + 4, top + CELL + 27);
            cell++;
        }
        g.dispose();
        AtomicFiles.write(png, tmp -> ImageIO.write(image, "png", tmp.toFile()));
        return errors;
    }
}
