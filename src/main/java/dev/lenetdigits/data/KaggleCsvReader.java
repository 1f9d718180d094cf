package dev.lenetdigits.data;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/**
 * Reads Kaggle's Digit Recognizer CSVs: {@code train.csv} ({@code label,pixel0..pixel783}) and
 * {@code test.csv} ({@code pixel0..pixel783}). Pixel columns are taken by position after an optional
 * {@code label} column, so Fashion-MNIST's {@code pixel1..pixel784} read the same. Every cell is
 * validated; the first bad one ends the read with a message naming file, line and column.
 */
public final class KaggleCsvReader {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setIgnoreEmptyLines(true)
            .setTrim(false)
            .get();

    private KaggleCsvReader() {}

    /**
     * @param in   the (already decompressed) bytes of the file
     * @param name the file's name for messages
     */
    public static DigitSet read(InputStream in, String name) {
        try (Reader reader = withoutBom(new InputStreamReader(in, StandardCharsets.UTF_8));
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get()) {
            Iterator<CSVRecord> records = parser.iterator();
            if (!records.hasNext()) {
                throw new DataFormatException(name + ": empty file (expected a header row label,pixel0,...)");
            }
            CSVRecord header = records.next();
            boolean labelled = header.size() == DigitSet.PIXELS + 1;
            if (!labelled && header.size() != DigitSet.PIXELS) {
                throw new DataFormatException(String.format(Locale.ROOT,
                        "%s:1: header has %d columns; expected %d (label + 784 pixels) or 784 pixels",
                        name, header.size(), DigitSet.PIXELS + 1));
            }
            String first = header.get(0).trim();
            if (isUnsignedInteger(first)) {
                throw new DataFormatException(name + ":1: no header row (the first row holds numbers; "
                        + "expected names such as label,pixel0,...)");
            }
            if (labelled && !first.equalsIgnoreCase("label")) {
                throw new DataFormatException(name + ":1: first of 785 columns is '" + first + "'; expected 'label'");
            }
            if (!labelled && first.equalsIgnoreCase("label")) {
                throw new DataFormatException(name + ":1: header has a label column but only 783 pixel columns; expected 784");
            }
            int offset = labelled ? 1 : 0;
            String[] columnNames = new String[header.size()];
            for (int c = 0; c < columnNames.length; c++) {
                columnNames[c] = header.get(c);
            }

            byte[] pixels = new byte[DigitSet.PIXELS * 1024];
            byte[] labels = labelled ? new byte[1024] : null;
            int count = 0;
            while (records.hasNext()) {
                CSVRecord row = records.next();
                long line = row.getRecordNumber(); // the header is record 1, on line 1
                if (row.size() != header.size()) {
                    throw new DataFormatException(String.format(Locale.ROOT,
                            "%s:%d: %d columns; expected %d like the header", name, line, row.size(), header.size()));
                }
                if (count == rowCapacity(pixels)) {
                    pixels = Arrays.copyOf(pixels, pixels.length * 2);
                    if (labels != null) {
                        labels = Arrays.copyOf(labels, labels.length * 2);
                    }
                }
                if (labelled) {
                    labels[count] = (byte) parseCell(row.get(0), 9, name, line, columnNames[0], "an integer 0-9");
                }
                int base = count * DigitSet.PIXELS;
                for (int c = 0; c < DigitSet.PIXELS; c++) {
                    pixels[base + c] = (byte) parseCell(row.get(c + offset), 255, name, line,
                            columnNames[c + offset], "an integer 0-255");
                }
                count++;
            }
            if (count == 0) {
                throw new DataFormatException(name + ": no rows after the header");
            }
            return DigitSet.fromBytes(pixels, labels, count, name);
        } catch (UncheckedIOException e) {
            throw new DataFormatException(name + ": " + e.getCause().getMessage(), e);
        } catch (IOException e) {
            throw new DataFormatException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static int rowCapacity(byte[] pixels) {
        return pixels.length / DigitSet.PIXELS;
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

    private static boolean isUnsignedInteger(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
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
}
