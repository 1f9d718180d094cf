package dev.lenetdigits.data;

import dev.lenetdigits.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    @TempDir
    Path dir;

    /** Writes the 300 fixture digits as an IDX pair, the way MNIST is published. */
    private Path writeIdxPair(String prefix, int count) throws IOException {
        List<String> rows = Fixtures.lines(Fixtures.kaggleTrain()).subList(1, count + 1);
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        DataOutputStream img = new DataOutputStream(images);
        DataOutputStream lab = new DataOutputStream(labels);
        img.writeInt(0x803);
        img.writeInt(count);
        img.writeInt(28);
        img.writeInt(28);
        lab.writeInt(0x801);
        lab.writeInt(count);
        for (String row : rows) {
            String[] c = row.split(",");
            lab.writeByte(Integer.parseInt(c[0]));
            for (int i = 1; i <= 784; i++) {
                img.writeByte(Integer.parseInt(c[i]));
            }
        }
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.toByteArray());
        return Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.toByteArray());
    }

    @Test
    void readsImagesWithLabelsBesideThemLikeTheCsv() throws IOException {
        DigitSet idx = DigitFiles.read(writeIdxPair("train", 300));
        DigitSet csv = DigitFiles.read(Fixtures.kaggleTrain());
        assertEquals(300, idx.size());
        assertArrayEquals(csv.labelArray(), idx.labelArray());
        assertTrue(idx.images().equal(csv.images()));
    }

    @Test
    void readsGzippedPairs() throws IOException {
        Path images = writeIdxPair("t10k", 20);
        Fixtures.gzip(images, dir.resolve("t10k-images-idx3-ubyte.gz"));
        Fixtures.gzip(dir.resolve("t10k-labels-idx1-ubyte"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
        Files.delete(images);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        DigitSet set = DigitFiles.read(dir.resolve("t10k-images-idx3-ubyte.gz"));
        assertEquals(20, set.size());
        assertTrue(set.hasLabels());
    }

    @Test
    void imagesWithoutLabelsFileAreUnlabeled() throws IOException {
        Path images = writeIdxPair("x", 5);
        Files.delete(dir.resolve("x-labels-idx1-ubyte"));
        assertFalse(DigitFiles.read(images).hasLabels());
    }

    @Test
    void damagedFilesAreClearErrors() throws IOException {
        Path images = writeIdxPair("bad", 10);
        byte[] good = Files.readAllBytes(images);

        Files.write(images, Arrays.copyOf(good, good.length - 100));
        assertError(images, "truncated: header promises 10 images (7840 bytes), file holds 7740");

        Files.write(images, Arrays.copyOf(good, good.length + 3));
        assertError(images, "extra bytes after the 10 images");

        Files.write(images, Arrays.copyOf(good, 10));
        assertError(images, "truncated IDX header");

        byte[] wrongSize = good.clone();
        wrongSize[11] = 32; // rows = 32
        Files.write(images, wrongSize);
        assertError(images, "images are 32×28; expected 28×28");

        Files.write(images, good);
        Path labels = dir.resolve("bad-labels-idx1-ubyte");
        byte[] labelBytes = Files.readAllBytes(labels);
        labelBytes[8 + 3] = 12;
        Files.write(labels, labelBytes);
        assertError(images, "label 12 of item 4 is not 0-9");

        labelBytes[7] = 9; // count 9 for 10 images
        Files.write(labels, labelBytes);
        assertError(images, "9 labels for 10 images");
    }

    private void assertError(Path file, String expectedPart) {
        String message = assertThrows(DataFormatException.class, () -> DigitFiles.read(file)).getMessage();
        assertTrue(message.contains(expectedPart), message);
        assertFalse(message.contains("\n"), message);
    }
}
