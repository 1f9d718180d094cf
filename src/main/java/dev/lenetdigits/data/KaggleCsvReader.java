package dev.lenetdigits.data;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Reads Kaggle's Digit Recognizer CSVs: {@code train.csv} ({@code label,pixel0..pixel783}) and
 * {@code test.csv} ({@code pixel0..pixel783}). Pixel columns are taken by position after an optional
 * {@code label} column, so Fashion-MNIST's {@code pixel1..pixel784} read the same. Every cell is
 * validated; the first bad one ends the read with a message naming file, line and column.
 *
 * <p>Speed: the file is read into memory and its rows are split at line ends into one chunk per core,
 * each parsed by its own commons-csv parser. A file with a quote character anywhere is parsed as one
 * chunk, since a line end inside quotes is not a row end.
 */
public final class KaggleCsvReader {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setIgnoreEmptyLines(true)
            .setTrim(false)
            .get();
    /** Below this many bytes per chunk, another thread costs more than it saves. */
    private static final int MIN_CHUNK_BYTES = 4 << 20;

    private KaggleCsvReader() {}

    /**
     * @param in   the (already decompressed) bytes of the file
     * @param name the file's name for messages
     */
    public static DigitSet read(InputStream in, String name) {
        byte[] data;
        try {
            data = in.readAllBytes();
        } catch (IOException e) {
            throw new DataFormatException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
        return parse(data, name);
    }

    static DigitSet parse(byte[] data, String name) {
        return parse(data, name, MIN_CHUNK_BYTES);
    }

    /** {@code minChunkBytes} is a parameter so that tests can make small files split too. */
    static DigitSet parse(byte[] data, String name, int minChunkBytes) {
        int start = hasBom(data) ? 3 : 0;
        int headerEnd = lineEnd(data, start);
        Header header = Header.parse(data, start, headerEnd, name);
        int bodyStart = Math.min(data.length, headerEnd + 1);

        int[] bounds = chunkBounds(data, bodyStart, minChunkBytes);
        int chunks = bounds.length - 1;
        int[] firstLines = new int[chunks];
        firstLines[0] = 2;
        for (int c = 1; c < chunks; c++) {
            firstLines[c] = firstLines[c - 1] + countLines(data, bounds[c - 1], bounds[c]);
        }
        List<Rows> parts = IntStream.range(0, chunks).parallel()
                .mapToObj(c -> parseRows(data, bounds[c], bounds[c + 1], firstLines[c], header, name))
                .toList();

        int count = 0;
        for (Rows part : parts) {
            if (part.error != null) {
                throw part.error; // the first chunk's error is the first error in the file
            }
            count += part.count;
        }
        if (count == 0) {
            throw new DataFormatException(name + ": no rows after the header");
        }
        byte[] pixels = new byte[count * DigitSet.PIXELS];
        byte[] labels = header.labeled ? new byte[count] : null;
        int at = 0;
        for (Rows part : parts) {
            System.arraycopy(part.pixels, 0, pixels, at * DigitSet.PIXELS, part.count * DigitSet.PIXELS);
            if (labels != null) {
                System.arraycopy(part.labels, 0, labels, at, part.count);
            }
            at += part.count;
        }
        return DigitSet.fromBytes(pixels, labels, count, name);
    }

    /** The header row: whether there is a label column, and the column names for messages. */
    private record Header(boolean labeled, String[] names) {
        static Header parse(byte[] data, int from, int to, String name) {
            List<CSVRecord> records = records(data, from, to, name);
            return of(records.isEmpty() ? null : records.get(0), name);
        }

        static Header of(CSVRecord header, String name) {
            if (header == null) {
                throw new DataFormatException(name + ": empty file (expected a header row label,pixel0,...)");
            }
            boolean labeled = header.size() == DigitSet.PIXELS + 1;
            if (!labeled && header.size() != DigitSet.PIXELS) {
                throw new DataFormatException(String.format(Locale.ROOT,
                        "%s:1: header has %d columns; expected %d (label + 784 pixels) or 784 pixels",
                        name, header.size(), DigitSet.PIXELS + 1));
            }
            String first = header.get(0).trim();
            if (!first.isEmpty() && first.chars().allMatch(Character::isDigit)) {
                throw new DataFormatException(name + ":1: no header row (the first row holds numbers; "
                        + "expected names such as label,pixel0,...)");
            }
            if (labeled && !first.equalsIgnoreCase("label")) {
                throw new DataFormatException(name + ":1: first of 785 columns is '" + first + "'; expected 'label'");
            }
            if (!labeled && first.equalsIgnoreCase("label")) {
                throw new DataFormatException(name + ":1: header has a label column but only 783 pixel columns; expected 784");
            }
            return new Header(labeled, header.values());
        }
    }

    /** One chunk's rows, or the error that stopped it. */
    private record Rows(byte[] pixels, byte[] labels, int count, DataFormatException error) {}

    /** Validates one row and stores it as digit {@code index} of the arrays. */
    private static void parseRow(CSVRecord row, long line, Header header, String name, byte[] pixels, byte[] labels,
                                 int index) {
        if (row.size() != header.names.length) {
            throw new DataFormatException(String.format(Locale.ROOT,
                    "%s:%d: %d columns; expected %d like the header", name, line, row.size(), header.names.length));
        }
        int offset = header.labeled ? 1 : 0;
        if (header.labeled) {
            labels[index] = (byte) parseCell(row.get(0), 9, name, line, header.names[0], "an integer 0-9");
        }
        int base = index * DigitSet.PIXELS;
        for (int c = 0; c < DigitSet.PIXELS; c++) {
            pixels[base + c] = (byte) parseCell(row.get(c + offset), 255, name, line,
                    header.names[c + offset], "an integer 0-255");
        }
    }

    /**
     * Reads the file in blocks of at most {@code blockRows} digits, handing each to {@code consumer}
     * before reading the next: memory stays bounded however many rows the file has.
     */
    public static void stream(InputStream in, String name, int blockRows, Consumer<DigitSet> consumer) {
        try (CSVParser parser = CSVParser.builder()
                .setReader(withoutBom(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)))
                .setFormat(FORMAT).get()) {
            Iterator<CSVRecord> records = parser.iterator();
            Header header = Header.of(records.hasNext() ? records.next() : null, name);
            byte[] pixels = new byte[blockRows * DigitSet.PIXELS];
            byte[] labels = header.labeled ? new byte[blockRows] : null;
            int count = 0;
            long total = 0;
            while (records.hasNext()) {
                CSVRecord row = records.next();
                parseRow(row, row.getRecordNumber(), header, name, pixels, labels, count);
                count++;
                if (count == blockRows) {
                    consumer.accept(DigitSet.fromBytes(pixels, labels, count, name));
                    total += count;
                    count = 0;
                }
            }
            if (count > 0 || total == 0) {
                if (count == 0) {
                    throw new DataFormatException(name + ": no rows after the header");
                }
                consumer.accept(DigitSet.fromBytes(pixels, labels, count, name));
            }
        } catch (UncheckedIOException e) {
            throw new DataFormatException(name + ": " + e.getCause().getMessage(), e);
        } catch (IOException e) {
            throw new DataFormatException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Skips a UTF-8 byte order mark, which Excel and some editors put before the header. */
    private static Reader withoutBom(Reader reader) throws IOException {
        PushbackReader pushback = new PushbackReader(reader, 1);
        int first = pushback.read();
        if (first != -1 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    private static Rows parseRows(byte[] data, int from, int to, int firstLine, Header header, String name) {
        int capacity = Math.max(16, (to - from) / (DigitSet.PIXELS * 2));
        byte[] pixels = new byte[capacity * DigitSet.PIXELS];
        byte[] labels = header.labeled ? new byte[capacity] : null;
        int count = 0;
        try (CSVParser parser = parser(data, from, to)) {
            Iterator<CSVRecord> records = parser.iterator();
            while (records.hasNext()) {
                CSVRecord row = records.next();
                long line = firstLine + row.getRecordNumber() - 1;
                if (count == capacity) {
                    capacity *= 2;
                    pixels = Arrays.copyOf(pixels, capacity * DigitSet.PIXELS);
                    if (labels != null) {
                        labels = Arrays.copyOf(labels, capacity);
                    }
                }
                parseRow(row, line, header, name, pixels, labels, count);
                count++;
            }
        } catch (DataFormatException e) {
            return new Rows(null, null, 0, e);
        } catch (UncheckedIOException | IOException e) {
            // commons-csv reports malformed quoting this way
            String reason = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
            return new Rows(null, null, 0, new DataFormatException(name + ": " + reason, e));
        }
        return new Rows(pixels, labels, count, null);
    }

    private static CSVParser parser(byte[] data, int from, int to) throws IOException {
        return CSVParser.builder()
                .setReader(new InputStreamReader(new ByteArrayInputStream(data, from, to - from), StandardCharsets.UTF_8))
                .setFormat(FORMAT)
                .get();
    }

    private static List<CSVRecord> records(byte[] data, int from, int to, String name) {
        try (CSVParser parser = parser(data, from, to)) {
            return parser.getRecords();
        } catch (UncheckedIOException e) {
            throw new DataFormatException(name + ":1: malformed header (" + e.getCause().getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataFormatException(name + ":1: malformed header (" + e.getMessage() + ")", e);
        }
    }

    /** Chunk boundaries (each after a '\n'), one chunk per core; a single chunk if the file has quotes. */
    private static int[] chunkBounds(byte[] data, int bodyStart, int minChunkBytes) {
        int length = data.length - bodyStart;
        int chunks = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), length / minChunkBytes));
        if (chunks > 1 && indexOf(data, bodyStart, (byte) '"') >= 0) {
            chunks = 1;
        }
        List<Integer> bounds = new ArrayList<>();
        bounds.add(bodyStart);
        for (int c = 1; c < chunks; c++) {
            int cut = lineEnd(data, bodyStart + (int) ((long) length * c / chunks)) + 1;
            if (cut > bounds.get(bounds.size() - 1) && cut < data.length) {
                bounds.add(cut);
            }
        }
        bounds.add(data.length);
        return bounds.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Parses a non-negative decimal integer up to {@code max}, or fails naming the cell. */
    static int parseCell(String text, int max, String name, long line, String column, String expected) {
        int n = text.length();
        if (n == 0 || n > 3) {
            throw badCell(text, name, line, column, expected);
        }
        int value = 0;
        for (int i = 0; i < n; i++) {
            int d = text.charAt(i) - '0';
            if (d < 0 || d > 9) {
                throw badCell(text, name, line, column, expected);
            }
            value = value * 10 + d;
        }
        if (value > max) {
            throw badCell(text, name, line, column, expected);
        }
        return value;
    }

    private static DataFormatException badCell(String text, String name, long line, String column, String expected) {
        String shown = text.length() > 20 ? text.substring(0, 20) + "…" : text;
        return new DataFormatException(String.format(Locale.ROOT,
                "%s:%d: column %s: '%s' is not %s", name, line, column, shown, expected));
    }

    private static boolean hasBom(byte[] d) {
        return d.length >= 3 && (d[0] & 0xFF) == 0xEF && (d[1] & 0xFF) == 0xBB && (d[2] & 0xFF) == 0xBF;
    }

    /** Index of the '\n' ending the line that holds {@code from}, or data.length if it is the last line. */
    private static int lineEnd(byte[] data, int from) {
        int i = indexOf(data, from, (byte) '\n');
        return i < 0 ? data.length : i;
    }

    private static int indexOf(byte[] data, int from, byte b) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int countLines(byte[] data, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (data[i] == '\n') {
                n++;
            }
        }
        return n;
    }
}
