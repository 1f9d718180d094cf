package dev.lenetdigits.data;

import dev.lenetdigits.Fixtures;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KaggleCsvReaderTest {
    @TempDir
    Path dir;

    private final List<String> train = Fixtures.lines(Fixtures.kaggleTrain());

    @Test
    void readsLabeledTrainCsv() {
        DigitSet set = DigitFiles.read(Fixtures.kaggleTrain());
        assertEquals(300, set.size());
        assertTrue(set.hasLabels());
        assertArrayEquals(new long[] {300, 1, 28, 28}, set.images().sizes().vec().get());
        int[] labels = set.labelArray();
        assertEquals(Integer.parseInt(train.get(1).split(",")[0]), labels[0]);
        assertEquals(Integer.parseInt(train.get(300).split(",")[0]), labels[299]);
    }

    @Test
    void readsUnlabeledTestCsv() {
        DigitSet set = DigitFiles.read(Fixtures.kaggleTest());
        assertEquals(100, set.size());
        assertFalse(set.hasLabels());
    }

    @Test
    void pixelsLandInRowMajorOrder() {
        DigitSet set = DigitFiles.read(Fixtures.kaggleTrain());
        String[] cells = train.get(5).split(",");
        byte[] row = new byte[784];
        new BytePointer(set.images().data_ptr()).position(4L * 784).get(row);
        for (int i = 0; i < 784; i++) {
            assertEquals(Integer.parseInt(cells[i + 1]), row[i] & 0xFF, "pixel " + i);
        }
    }

    @Test
    void awkwardButValidFilesRead() {
        String header = train.get(0);
        String rows = String.join("\r\n", train.subList(1, 11));
        DigitSet crlf = DigitFiles.read(Fixtures.write(dir.resolve("crlf.csv"), header + "\r\n" + rows + "\r\n"));
        DigitSet bom = DigitFiles.read(Fixtures.write(dir.resolve("bom.csv"), "\uFEFF" + header + "\n" + rows + "\n"));
        DigitSet blankEnd = DigitFiles.read(Fixtures.write(dir.resolve("blank.csv"), header + "\n" + rows + "\n\n\n"));
        DigitSet noFinalNewline = DigitFiles.read(Fixtures.write(dir.resolve("nofinal.csv"), header + "\n" + rows));
        for (DigitSet s : List.of(crlf, bom, blankEnd, noFinalNewline)) {
            assertEquals(10, s.size(), s.source());
            assertArrayEquals(crlf.labelArray(), s.labelArray());
        }
    }

    @Test
    void readsGzipAndFashionMnistColumnNames() {
        Path gz = Fixtures.gzip(Fixtures.kaggleTrain(), dir.resolve("train.csv.gz"));
        assertEquals(300, DigitFiles.read(gz).size());

        StringBuilder fashionHeader = new StringBuilder("label");
        for (int i = 1; i <= 784; i++) {
            fashionHeader.append(",pixel").append(i);
        }
        Path fashion = Fixtures.write(dir.resolve("fashion.csv"),
                fashionHeader + "\n" + String.join("\n", train.subList(1, 4)) + "\n");
        assertEquals(3, DigitFiles.read(fashion).size());
    }

    @Test
    void badCellIsNamedByFileLineAndColumn() {
        assertEquals("bad.csv:3: column pixel12: 'abc' is not an integer 0-255", errorFor(2, 13, "abc"));
        assertEquals("bad.csv:2: column pixel0: '256' is not an integer 0-255", errorFor(1, 1, "256"));
        assertEquals("bad.csv:2: column pixel0: '-1' is not an integer 0-255", errorFor(1, 1, "-1"));
        assertEquals("bad.csv:2: column pixel0: '' is not an integer 0-255", errorFor(1, 1, ""));
        assertEquals("bad.csv:4: column label: '10' is not an integer 0-9", errorFor(3, 0, "10"));
        assertEquals("bad.csv:2: column pixel783: '1.5' is not an integer 0-255", errorFor(1, 784, "1.5"));
    }

    private String errorFor(int line, int column, String value) {
        List<String> lines = new ArrayList<>(train.subList(0, 6));
        String[] cells = lines.get(line).split(",", -1);
        cells[column] = value;
        lines.set(line, String.join(",", cells));
        Path bad = Fixtures.write(dir.resolve("bad.csv"), String.join("\n", lines) + "\n");
        return assertThrows(DataFormatException.class, () -> DigitFiles.read(bad)).getMessage()
                .replace(bad.toString(), "bad.csv");
    }

    @Test
    void structuralProblemsAreClearErrors() {
        String header = train.get(0);
        assertMessage("", "empty file");
        assertMessage(header + "\n", "no rows after the header");
        assertMessage(String.join("\n", train.subList(1, 4)) + "\n", ":1: no header row");
        assertMessage(header + "\n" + train.get(1) + ",7\n", ":2: 786 columns; expected 785");
        assertMessage(header.substring(0, header.lastIndexOf(',')) + "\n", "only 783 pixel columns");
        assertMessage("name,a,b\n1,2,3\n", ":1: header has 3 columns");
        assertMessage(header.replace("label", "digit") + "\n" + train.get(1) + "\n", "first of 785 columns is 'digit'");
        assertMessage(header + "\n\"" + train.get(1) + "\n", "bad.csv");
    }

    private void assertMessage(String content, String expectedPart) {
        Path bad = Fixtures.write(dir.resolve("bad.csv"), content);
        String message = assertThrows(DataFormatException.class, () -> DigitFiles.read(bad)).getMessage();
        assertTrue(message.contains(expectedPart), message);
        assertTrue(message.startsWith(bad.toString()), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void chunkedParsingGivesTheSameDigitsAndTrueLineNumbers() throws Exception {
        byte[] bytes = Files.readAllBytes(Fixtures.kaggleTrain());
        DigitSet whole = KaggleCsvReader.parse(bytes, "train.csv", Integer.MAX_VALUE);
        DigitSet chunked = KaggleCsvReader.parse(bytes, "train.csv", 8 * 1024);
        assertArrayEquals(whole.labelArray(), chunked.labelArray());
        assertTrue(whole.images().equal(chunked.images()));

        List<String> lines = new ArrayList<>(train);
        lines.set(250, lines.get(250).replaceFirst(",0,", ",x,"));
        lines.set(280, lines.get(280).replaceFirst(",0,", ",y,"));
        byte[] bad = (String.join("\n", lines) + "\n").getBytes();
        String message = assertThrows(DataFormatException.class,
                () -> KaggleCsvReader.parse(bad, "train.csv", 8 * 1024)).getMessage();
        assertTrue(message.startsWith("train.csv:251: column pixel"), message);
        assertTrue(message.endsWith("'x' is not an integer 0-255"), message);
    }

    @Test
    void missingFileAndFolderAreClearErrors() {
        assertTrue(assertThrows(DataFormatException.class, () -> DigitFiles.read(dir.resolve("nope.csv")))
                .getMessage().endsWith("nope.csv: no such file"));
        assertTrue(assertThrows(DataFormatException.class, () -> DigitFiles.read(dir))
                .getMessage().contains("is a folder"));
    }
}
