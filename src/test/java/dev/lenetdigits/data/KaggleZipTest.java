package dev.lenetdigits.data;

import dev.lenetdigits.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kaggle's digit-recognizer.zip read as downloaded, without unzipping it first. */
class KaggleZipTest {
    @TempDir
    Path dir;

    /** A zip as Kaggle ships it: train.csv, test.csv and sample_submission.csv at the top. */
    private Path kaggleZip(String folder) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(folder + "sample_submission.csv", "ImageId,Label\n1,0\n".getBytes(StandardCharsets.US_ASCII));
        entries.put(folder + "test.csv", Files.readAllBytes(Fixtures.kaggleTest()));
        entries.put(folder + "train.csv", Files.readAllBytes(Fixtures.kaggleTrain()));
        return zip(dir.resolve("digit-recognizer.zip"), entries);
    }

    private static Path zip(Path target, Map<String, byte[]> entries) {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    @Test
    void readsTrainAndTestOutOfKagglesZip() throws IOException {
        Path zip = kaggleZip("");
        DigitSet train = DigitFiles.read(zip, DigitFiles.KaggleFile.TRAIN);
        DigitSet plainTrain = DigitFiles.read(Fixtures.kaggleTrain());
        assertEquals(300, train.size());
        assertArrayEquals(plainTrain.labelArray(), train.labelArray());
        assertArrayEquals(plainTrain.pixelBytes(), train.pixelBytes());
        assertEquals(zip + "!train.csv", train.source());

        DigitSet test = DigitFiles.read(zip, DigitFiles.KaggleFile.TEST);
        assertFalse(test.hasLabels());
        assertArrayEquals(DigitFiles.read(Fixtures.kaggleTest()).pixelBytes(), test.pixelBytes());

        // streamed in blocks, as predict reads it: the same digits in the same order
        List<byte[]> blocks = new ArrayList<>();
        DigitFiles.forEachBlock(zip, DigitFiles.KaggleFile.TEST, 30, block -> blocks.add(block.pixelBytes()));
        assertEquals(4, blocks.size());
        byte[] joined = new byte[100 * DigitSet.PIXELS];
        int at = 0;
        for (byte[] b : blocks) {
            System.arraycopy(b, 0, joined, at, b.length);
            at += b.length;
        }
        assertArrayEquals(test.pixelBytes(), joined);
    }

    @Test
    void findsTheFilesInAFolderOrAnArchiveOfOneCsv() throws IOException {
        Path zip = kaggleZip("digit-recognizer/");
        assertEquals(300, DigitFiles.read(zip).size());
        assertEquals(100, DigitFiles.read(zip, DigitFiles.KaggleFile.TEST).size());

        Path single = zip(dir.resolve("mine.zip"), Map.of("my-digits.csv", Files.readAllBytes(Fixtures.kaggleTest())));
        assertEquals(100, DigitFiles.read(single, DigitFiles.KaggleFile.TEST).size());
        // a gzipped CSV inside the archive is decompressed too
        Path gz = Fixtures.gzip(Fixtures.kaggleTrain(), dir.resolve("train.csv.gz"));
        Path zipOfGz = zip(dir.resolve("gz.zip"), Map.of("train.csv.gz", Files.readAllBytes(gz)));
        assertEquals(300, DigitFiles.read(zipOfGz).size());
    }

    @Test
    void problemsNameTheArchiveAndTheEntry() throws IOException {
        Path noCsv = zip(dir.resolve("empty.zip"), Map.of("readme.txt", new byte[] {1}, "a/b.png", new byte[] {2}));
        String message = assertThrows(DataFormatException.class, () -> DigitFiles.read(noCsv)).getMessage();
        assertTrue(message.startsWith(noCsv + ": zip archive with no train.csv in it (it holds 2 files: "), message);
        Path oneFile = zip(dir.resolve("one.zip"), Map.of("readme.txt", new byte[] {1}));
        assertEquals(oneFile + ": zip archive with no train.csv in it (it holds 1 file: readme.txt)",
                assertThrows(DataFormatException.class, () -> DigitFiles.read(oneFile)).getMessage());

        Path corrupt = dir.resolve("corrupt.zip");
        try (OutputStream out = Files.newOutputStream(corrupt)) {
            out.write(new byte[] {'P', 'K', 3, 4, 9, 9, 9});
        }
        message = assertThrows(DataFormatException.class, () -> DigitFiles.read(corrupt)).getMessage();
        assertTrue(message.startsWith(corrupt + ": not a readable zip archive"), message);

        // a bad cell inside the archive: the message names archive, entry and line
        List<String> lines = new ArrayList<>(Fixtures.lines(Fixtures.kaggleTrain()));
        lines.set(3, lines.get(3).replaceFirst(",0,", ",x,"));
        Path bad = zip(dir.resolve("bad.zip"), Map.of("train.csv",
                (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII)));
        message = assertThrows(DataFormatException.class, () -> DigitFiles.read(bad)).getMessage();
        assertEquals(bad + "!train.csv:4: column pixel0: 'x' is not an integer 0-255", message);
    }
}
