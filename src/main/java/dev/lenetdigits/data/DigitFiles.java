package dev.lenetdigits.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Entry point for reading digits from any supported file: Kaggle CSV (.csv, .csv.gz) or MNIST IDX (.gz). */
public final class DigitFiles {
    private DigitFiles() {}

    /** Reads the file, choosing the format by its content (IDX magic) and name. */
    public static DigitSet read(Path file) {
        if (Files.isDirectory(file)) {
            throw new DataFormatException(file + ": is a folder; give a .csv, .csv.gz or IDX images file");
        }
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file + ": no such file");
        }
        if (looksLikeIdx(file)) {
            return IdxReader.read(file);
        }
        try (InputStream in = open(file)) {
            return KaggleCsvReader.read(in, file.toString());
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Hands the file's digits to {@code consumer} in blocks of at most {@code blockRows}. CSV files are
     * streamed (bounded memory for any number of rows); an IDX file is read whole and handed over in slices.
     */
    public static void forEachBlock(Path file, int blockRows, java.util.function.Consumer<DigitSet> consumer) {
        if (Files.isDirectory(file) || !Files.isRegularFile(file) || looksLikeIdx(file)) {
            DigitSet all = read(file);
            for (int start = 0; start < all.size(); start += blockRows) {
                int end = Math.min(all.size(), start + blockRows);
                int[] positions = java.util.stream.IntStream.range(start, end).toArray();
                consumer.accept(all.select(positions, all.source()));
            }
            return;
        }
        try (InputStream in = open(file)) {
            KaggleCsvReader.stream(in, file.toString(), blockRows, consumer);
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Opens a file for reading, decompressing it when it is gzip (by its magic bytes, not its name). */
    static InputStream open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file + ": no such file");
        }
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            } catch (IOException e) {
                raw.close();
                throw new DataFormatException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
            }
        }
        return raw;
    }

    private static boolean looksLikeIdx(Path file) {
        try (InputStream in = open(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08;
        } catch (IOException e) {
            return false; // the CSV reader reports the problem with its own message
        }
    }
}
