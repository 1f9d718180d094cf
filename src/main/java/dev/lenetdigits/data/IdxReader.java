package dev.lenetdigits.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads MNIST's IDX files: an images file ({@code *-images-idx3-ubyte}, magic 2051, N×28×28 bytes) and,
 * when present beside it under the standard name, its labels file ({@code *-labels-idx1-ubyte}, magic
 * 2049, N bytes 0-9). Either may be gzip-compressed ({@code .gz}).
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {}

    public static DigitSet read(Path imagesFile) {
        String name = imagesFile.toString();
        byte[] pixels;
        int count;
        try (DataInputStream in = new DataInputStream(DigitFiles.open(imagesFile))) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new DataFormatException(String.format(Locale.ROOT,
                        "%s: not an IDX images file (magic 0x%08x, expected 0x%08x)", name, magic, IMAGES_MAGIC));
            }
            count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != DigitSet.SIDE || cols != DigitSet.SIDE) {
                throw new DataFormatException(String.format(Locale.ROOT,
                        "%s: images are %d×%d; expected 28×28", name, rows, cols));
            }
            if (count <= 0 || count > Integer.MAX_VALUE / DigitSet.PIXELS) {
                throw new DataFormatException(name + ": header says " + count + " images");
            }
            pixels = readExactly(in, (long) count * DigitSet.PIXELS, name, count + " images");
        } catch (EOFException e) {
            throw new DataFormatException(name + ": truncated IDX header");
        } catch (IOException e) {
            throw new DataFormatException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
        Path labelsFile = labelsFileFor(imagesFile);
        byte[] labels = labelsFile == null ? null : readLabels(labelsFile, count);
        return DigitSet.fromBytes(pixels, labels, count, name);
    }

    private static byte[] readLabels(Path file, int expected) {
        String name = file.toString();
        try (DataInputStream in = new DataInputStream(DigitFiles.open(file))) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new DataFormatException(String.format(Locale.ROOT,
                        "%s: not an IDX labels file (magic 0x%08x, expected 0x%08x)", name, magic, LABELS_MAGIC));
            }
            int count = in.readInt();
            if (count != expected) {
                throw new DataFormatException(String.format(Locale.ROOT,
                        "%s: %d labels for %d images", name, count, expected));
            }
            byte[] labels = readExactly(in, count, name, count + " labels");
            for (int i = 0; i < count; i++) {
                if ((labels[i] & 0xFF) > 9) {
                    throw new DataFormatException(String.format(Locale.ROOT,
                            "%s: label %d of item %d is not 0-9", name, labels[i] & 0xFF, i + 1));
                }
            }
            return labels;
        } catch (EOFException e) {
            throw new DataFormatException(name + ": truncated IDX header");
        } catch (IOException e) {
            throw new DataFormatException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] readExactly(InputStream in, long length, String name, String what) throws IOException {
        // readNBytes grows its buffer with the data actually read: a header that promises more than the
        // file holds costs no more memory than the file itself
        byte[] data = in.readNBytes((int) length);
        if (data.length < length) {
            throw new DataFormatException(String.format(Locale.ROOT,
                    "%s: truncated: header promises %s (%d bytes), file holds %d", name, what, length, data.length));
        }
        if (in.read() != -1) {
            throw new DataFormatException(name + ": extra bytes after the " + what + " the header promises");
        }
        return data;
    }

    /** The labels file beside an images file, by MNIST's naming; null if there is none. */
    static Path labelsFileFor(Path imagesFile) {
        String fileName = imagesFile.getFileName().toString();
        String labelsName = fileName.replace("images-idx3", "labels-idx1").replace("images.idx3", "labels.idx1");
        if (labelsName.equals(fileName)) {
            return null;
        }
        for (String candidate : new String[] {labelsName, labelsName + ".gz", labelsName.replaceFirst("\\.gz$", "")}) {
            Path p = imagesFile.resolveSibling(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
