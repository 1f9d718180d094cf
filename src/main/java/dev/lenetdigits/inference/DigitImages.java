package dev.lenetdigits.inference;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.UserException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Turns a photo or scan of one handwritten digit into MNIST's form, the way MNIST itself was made:
 * <ol>
 *   <li>grey levels (luminance of sRGB colour; grey images are read as they are stored);</li>
 *   <li>ink made bright on dark: the paper is the median of the image's border, so dark ink on light paper
 *       and light ink on dark paper both work; the paper's level becomes 0 and the darkest ink 255, and
 *       faint paper texture (under 15% of the ink's contrast) is cleared;</li>
 *   <li>cropped to the ink's bounding box;</li>
 *   <li>scaled to fit 20×20 keeping the aspect ratio (area-averaged when shrinking, so thin strokes
 *       become grey rather than vanishing; bilinear when enlarging), then stretched so that the strongest
 *       ink is 255 again;</li>
 *   <li>placed in a 28×28 field so that the ink's centre of mass is at the field's centre.</li>
 * </ol>
 * The result is 784 bytes, row-major, 0 = background, 255 = ink: what the CSV and IDX files hold and what
 * {@link DigitClassifier#classify(byte[])} takes. An image with no ink (blank, or contrast under
 * {@value #MIN_CONTRAST} grey levels) is a {@link NoInkException}, not a guess. Transparent pixels count
 * as paper. The image should hold one digit on a plain background: specks far from the digit widen the
 * bounding box.
 */
public final class DigitImages {
    /** The side of MNIST's field. */
    public static final int SIDE = 28;
    /** The side of the box the digit is scaled to fit. */
    public static final int BOX = 20;
    /** The least difference between paper and ink, in grey levels 0-255, that counts as ink. */
    public static final int MIN_CONTRAST = 32;
    /** Ink weaker than this fraction of the strongest ink is taken as paper texture or noise. */
    private static final float FLOOR = 0.15f;

    private DigitImages() {}

    /** True when the file starts like a PNG, JPEG, BMP or GIF image (by content, not name). */
    public static boolean looksLikeImage(Path file) {
        byte[] head;
        try (var in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        } catch (IOException e) {
            return false;
        }
        if (head.length < 4) {
            return false;
        }
        int b0 = head[0] & 0xff, b1 = head[1] & 0xff, b2 = head[2] & 0xff, b3 = head[3] & 0xff;
        return (b0 == 0x89 && b1 == 'P' && b2 == 'N' && b3 == 'G')       // PNG
                || (b0 == 0xFF && b1 == 0xD8 && b2 == 0xFF)              // JPEG
                || (b0 == 'B' && b1 == 'M')                              // BMP
                || (b0 == 'G' && b1 == 'I' && b2 == 'F');                // GIF
    }

    /**
     * Reads an image file (PNG, JPEG, BMP or GIF, whatever {@link ImageIO} decodes).
     *
     * @throws UserException naming the file when it is missing or not a readable image
     */
    public static BufferedImage read(Path file) {
        if (Files.isDirectory(file)) {
            throw new UserException(file + ": is a folder, not an image");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserException(file + ": no such file");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new UserException(file + ": not an image this tool reads (PNG, JPEG, BMP or GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserException u) {
                throw u;
            }
            String why = e instanceof IOException io ? AtomicFiles.describe(io) : e.toString();
            throw new UserException(file + ": not a readable image (" + firstLine(why) + ")");
        }
    }

    /** Reads an image file and converts it: {@link #read(Path)} then {@link #toMnist(BufferedImage, String)}. */
    public static byte[] readMnist(Path file) {
        return toMnist(read(file), file.toString());
    }

    /** {@link #toMnist(BufferedImage, String)} with the name "image" in messages. */
    public static byte[] toMnist(BufferedImage image) {
        return toMnist(image, "image");
    }

    /**
     * Converts one digit image of any size and colour to MNIST's 28×28 form (see the class comment).
     *
     * @param name what to call the image in an error message, usually its file name
     * @return 784 bytes, row-major, 0 = background, 255 = ink
     * @throws NoInkException when the image has no ink
     */
    public static byte[] toMnist(BufferedImage image, String name) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] gray = grayLevels(image);
        float paper = borderMedian(gray, w, h);
        boolean lightPaper = paper > 127.5f;
        // ink strength before scaling: how far each pixel is from the paper, towards the ink side
        float[] ink = new float[w * h];
        float strongest = 0;
        for (int i = 0; i < ink.length; i++) {
            float v = lightPaper ? paper - gray[i] : gray[i] - paper;
            ink[i] = Math.max(0, v);
            strongest = Math.max(strongest, ink[i]);
        }
        if (strongest < MIN_CONTRAST) {
            throw new NoInkException(name + ": no ink found (" + w + "×" + h + " image, "
                    + (strongest == 0 ? "a single level" : "contrast " + Math.round(strongest) + " of 255")
                    + "; need a digit that stands out from the paper by at least " + MIN_CONTRAST + " grey levels)");
        }
        // 0 = paper (and texture under FLOOR), 1 = the strongest ink
        int minX = w, minY = h, maxX = -1, maxY = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                float v = (ink[i] / strongest - FLOOR) / (1 - FLOOR);
                ink[i] = v > 0 ? v : 0;
                if (v > 0) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        int bw = maxX - minX + 1;
        int bh = maxY - minY + 1;
        float[] crop = new float[bw * bh];
        for (int y = 0; y < bh; y++) {
            System.arraycopy(ink, (minY + y) * w + minX, crop, y * bw, bw);
        }
        double scale = (double) BOX / Math.max(bw, bh);
        int sw = Math.max(1, (int) Math.round(bw * scale));
        int sh = Math.max(1, (int) Math.round(bh * scale));
        float[] scaled = scale < 1 ? areaAverage(crop, bw, bh, sw, sh) : bilinear(crop, bw, bh, sw, sh);
        // averaging lowers the peaks of thin strokes; MNIST's strongest ink is 255, so stretch back to it
        float peak = 0;
        for (float v : scaled) {
            peak = Math.max(peak, v);
        }
        for (int i = 0; peak > 0 && i < scaled.length; i++) {
            scaled[i] /= peak;
        }
        return centerByMass(scaled, sw, sh);
    }

    /** Grey levels 0-255 (0 = black), row-major; transparent pixels become paper. */
    static float[] grayLevels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] gray = new float[w * h];
        float[] alpha = image.getColorModel().hasAlpha() ? new float[w * h] : null;
        Raster raster = image.getRaster();
        boolean storedGray = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && raster.getNumBands() <= 2 && image.getColorModel().getNumColorComponents() == 1;
        if (storedGray) {
            // read grey samples as stored: going through getRGB would apply a linear-to-sRGB curve
            float max = (1 << image.getColorModel().getComponentSize(0)) - 1;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    gray[y * w + x] = row[x] * 255f / max;
                }
                if (alpha != null) {
                    float amax = (1 << image.getColorModel().getComponentSize(1)) - 1;
                    raster.getSamples(0, y, w, 1, 1, row);
                    for (int x = 0; x < w; x++) {
                        alpha[y * w + x] = row[x] / amax;
                    }
                }
            }
        } else {
            int[] argb = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, argb, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = argb[x];
                    gray[y * w + x] = 0.299f * ((p >> 16) & 0xff) + 0.587f * ((p >> 8) & 0xff) + 0.114f * (p & 0xff);
                    if (alpha != null) {
                        alpha[y * w + x] = (p >>> 24) / 255f;
                    }
                }
            }
        }
        if (alpha != null) {
            compositeOverPaper(gray, alpha);
        }
        return gray;
    }

    /**
     * Transparent areas become paper: the opaque pixels are mostly paper or mostly strokes, so when they
     * are on average light the background is taken as black (light strokes drawn on nothing), else white.
     */
    private static void compositeOverPaper(float[] gray, float[] alpha) {
        double weighted = 0;
        double weight = 0;
        boolean anyTransparent = false;
        for (int i = 0; i < gray.length; i++) {
            weighted += gray[i] * alpha[i];
            weight += alpha[i];
            anyTransparent |= alpha[i] < 1;
        }
        if (!anyTransparent) {
            return;
        }
        float background = weight > 0 && weighted / weight > 127.5 ? 0 : 255;
        for (int i = 0; i < gray.length; i++) {
            gray[i] = gray[i] * alpha[i] + background * (1 - alpha[i]);
        }
    }

    /** The median grey level of the outermost ring of pixels: the paper, in a picture of one digit. */
    private static float borderMedian(float[] gray, int w, int h) {
        float[] ring = new float[h == 1 || w == 1 ? w * h : 2 * w + 2 * (h - 2)];
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y == 0 || y == h - 1 || x == 0 || x == w - 1) {
                    ring[n++] = gray[y * w + x];
                }
            }
        }
        Arrays.sort(ring, 0, n);
        return ring[n / 2];
    }

    /** Shrinks by exact area averaging: each output pixel is the mean of the input area it covers. */
    static float[] areaAverage(float[] src, int w, int h, int nw, int nh) {
        float[] out = new float[nw * nh];
        double sx = (double) w / nw;
        double sy = (double) h / nh;
        for (int oy = 0; oy < nh; oy++) {
            double y0 = oy * sy;
            double y1 = y0 + sy;
            for (int ox = 0; ox < nw; ox++) {
                double x0 = ox * sx;
                double x1 = x0 + sx;
                double sum = 0;
                for (int y = (int) y0; y < Math.min(h, Math.ceil(y1)); y++) {
                    double wy = Math.min(y1, y + 1) - Math.max(y0, y);
                    for (int x = (int) x0; x < Math.min(w, Math.ceil(x1)); x++) {
                        double wx = Math.min(x1, x + 1) - Math.max(x0, x);
                        sum += src[y * w + x] * wx * wy;
                    }
                }
                out[oy * nw + ox] = (float) (sum / (sx * sy));
            }
        }
        return out;
    }

    /** Enlarges by bilinear interpolation between pixel centres (edges clamp). */
    static float[] bilinear(float[] src, int w, int h, int nw, int nh) {
        float[] out = new float[nw * nh];
        double sx = (double) w / nw;
        double sy = (double) h / nh;
        for (int oy = 0; oy < nh; oy++) {
            double fy = Math.max(0, Math.min(h - 1, (oy + 0.5) * sy - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(h - 1, y0 + 1);
            double ty = fy - y0;
            for (int ox = 0; ox < nw; ox++) {
                double fx = Math.max(0, Math.min(w - 1, (ox + 0.5) * sx - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(w - 1, x0 + 1);
                double tx = fx - x0;
                double top = src[y0 * w + x0] * (1 - tx) + src[y0 * w + x1] * tx;
                double bottom = src[y1 * w + x0] * (1 - tx) + src[y1 * w + x1] * tx;
                out[oy * nw + ox] = (float) (top * (1 - ty) + bottom * ty);
            }
        }
        return out;
    }

    /** Places a w×h ink image (0-1) in the 28×28 field with its centre of mass at the field's centre. */
    private static byte[] centerByMass(float[] src, int w, int h) {
        double mass = 0;
        double mx = 0;
        double my = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = src[y * w + x];
                mass += v;
                mx += v * (x + 0.5);
                my += v * (y + 0.5);
            }
        }
        // mass > 0: the bounding box holds ink, and scaling keeps a positive peak
        int dx = (int) Math.round(SIDE / 2.0 - mx / mass);
        int dy = (int) Math.round(SIDE / 2.0 - my / mass);
        byte[] out = new byte[SIDE * SIDE];
        for (int y = 0; y < h; y++) {
            int ty = y + dy;
            if (ty < 0 || ty >= SIDE) {
                continue;
            }
            for (int x = 0; x < w; x++) {
                int tx = x + dx;
                if (tx >= 0 && tx < SIDE) {
                    out[ty * SIDE + tx] = (byte) Math.round(Math.min(1f, src[y * w + x]) * 255);
                }
            }
        }
        return out;
    }

    private static String firstLine(String s) {
        String line = s.lines().findFirst().orElse(s).trim();
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }

}
