package dev.lenetdigits.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Entry point for reading digits from any supported file: Kaggle CSV (.csv, .csv.gz), MNIST IDX (.gz), or
 * Kaggle's {@code digit-recognizer.zip} as downloaded (the CSV a command needs is read out of it).
 */
public final class DigitFiles {
    /** Which of Kaggle's files a command wants when it is handed the competition's zip. */
    public enum KaggleFile {
        /** {@code train.csv}: labelled digits, for train and evaluate. */
        TRAIN("train.csv"),
        /** {@code test.csv}: the digits to classify, for predict. */
        TEST("test.csv");

        private final String entryName;

        KaggleFile(String entryName) {
            this.entryName = entryName;
        }

        public String entryName() {
            return entryName;
        }
    }

    private DigitFiles() {}

    /** Reads the file, choosing the format by its content; from a Kaggle zip, its {@code train.csv}. */
    public static DigitSet read(Path file) {
        return read(file, KaggleFile.TRAIN);
    }

    /** Reads the file, choosing the format by its content; from a Kaggle zip, the CSV {@code wanted} names. */
    public static DigitSet read(Path file, KaggleFile wanted) {
        checkIsFile(file);
        if (looksLikeIdx(file)) {
            return IdxReader.read(file);
        }
        return readCsv(file, wanted, KaggleCsvReader::read);
    }

    /**
     * Hands the file's digits to {@code consumer} in blocks of at most {@code blockRows}. CSV files (also
     * inside a zip) are streamed: bounded memory for any number of rows; an IDX file is read whole and
     * handed over in slices.
     */
    public static void forEachBlock(Path file, KaggleFile wanted, int blockRows, Consumer<DigitSet> consumer) {
        checkIsFile(file);
        if (looksLikeIdx(file)) {
            DigitSet all = read(file);
            for (int start = 0; start < all.size(); start += blockRows) {
                int end = Math.min(all.size(), start + blockRows);
                int[] positions = IntStream.range(start, end).toArray();
                consumer.accept(all.select(positions, all.source()));
            }
            return;
        }
        readCsv(file, wanted, (in, name) -> {
            KaggleCsvReader.stream(in, name, blockRows, consumer);
            return null;
        });
    }

    /** What to do with a CSV's decompressed bytes; {@code name} is how messages call the CSV. */
    private interface CsvReading<T> {
        T read(InputStream in, String name);
    }

    /** Opens the CSV (gzipped or not, on its own or inside a zip) and hands it to {@code reading}. */
    private static <T> T readCsv(Path file, KaggleFile wanted, CsvReading<T> reading) {
        try {
            if (!looksLikeZip(file)) {
                try (InputStream in = open(file)) {
                    return reading.read(in, file.toString());
                }
            }
            try (ZipFile zip = openZip(file)) {
                ZipEntry entry = findEntry(zip, file, wanted);
                String name = file + "!" + entry.getName(); // as in jar: URLs: digit-recognizer.zip!train.csv
                try (InputStream in = decompressed(zip.getInputStream(entry), name)) {
                    return reading.read(in, name);
                }
            }
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static void checkIsFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new DataFormatException(file + ": is a folder; give a .csv, .csv.gz, .zip or IDX images file");
        }
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file + ": no such file");
        }
    }

    /** Opens a file for reading, decompressing it when it is gzip (by its magic bytes, not its name). */
    static InputStream open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file + ": no such file");
        }
        return decompressed(raw, file.toString());
    }

    private static InputStream decompressed(InputStream in, String name) throws IOException {
        InputStream raw = new BufferedInputStream(in, 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            } catch (IOException e) {
                raw.close();
                throw new DataFormatException(name + ": corrupt gzip data (" + e.getMessage() + ")", e);
            }
        }
        return raw;
    }

    private static ZipFile openZip(Path file) {
        try {
            return new ZipFile(file.toFile());
        } catch (IOException e) {
            throw new DataFormatException(file + ": not a readable zip archive (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The entry {@code wanted} names, in any folder of the archive (Kaggle's zip has them at the top; a
     * re-zipped folder has them one level down); failing that, the archive's only CSV.
     */
    private static ZipEntry findEntry(ZipFile zip, Path file, KaggleFile wanted) {
        List<? extends ZipEntry> files = zip.stream().filter(e -> !e.isDirectory()).toList();
        List<? extends ZipEntry> named = files.stream().filter(e -> baseName(e).equals(wanted.entryName())).toList();
        if (named.size() == 1) {
            return named.get(0);
        }
        List<? extends ZipEntry> csvs = files.stream().filter(e -> baseName(e).endsWith(".csv")
                || baseName(e).endsWith(".csv.gz")).toList();
        if (named.isEmpty() && csvs.size() == 1) {
            return csvs.get(0);
        }
        if (files.stream().anyMatch(e -> baseName(e).equals("data.pkl"))) { // libtorch's archive layout
            throw new DataFormatException(file + ": is a model file, not a file of digits");
        }
        String held = String.join(", ", files.stream().limit(3).map(ZipEntry::getName).toList());
        throw new DataFormatException(file + ": zip archive with " + (named.isEmpty() ? "no " : "several ")
                + wanted.entryName() + " in it (it holds " + files.size() + (files.size() == 1 ? " file: " : " files: ")
                + held + (files.size() > 3 ? ", …" : "") + ")");
    }

    private static String baseName(ZipEntry e) {
        String name = e.getName();
        return name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean looksLikeZip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        } catch (IOException e) {
            return false;
        }
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
