package dev.lenetdigits.data;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.UserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KaggleLayoutSplitTest {
    @TempDir
    Path dir;

    @Test
    void writesKagglesThreeFilesHoldingEveryDigitOnce() throws Exception {
        DigitSet pool = DigitFiles.read(Fixtures.kaggleTrain());
        KaggleLayoutSplit.Counts counts = KaggleLayoutSplit.write(dir, 100, 7, pool);
        assertEquals(new KaggleLayoutSplit.Counts(200, 100), counts);

        DigitSet train = DigitFiles.read(dir.resolve("train.csv"));
        DigitSet test = DigitFiles.read(dir.resolve("test.csv"));
        assertEquals(200, train.size());
        assertTrue(train.hasLabels());
        assertEquals(100, test.size());
        assertFalse(test.hasLabels(), "test.csv carries no labels, as on Kaggle");
        assertTrue(Files.readAllLines(dir.resolve("test.csv")).get(0).startsWith("pixel0,pixel1,"));
        List<String> answers = Files.readAllLines(dir.resolve("answers.csv"));
        assertEquals("ImageId,Label", answers.get(0));
        assertEquals(101, answers.size());
        assertEquals("1,", answers.get(1).substring(0, 2));

        // every (pixels, label) pair of the pool is in exactly one part, with its own label
        List<String> expected = rows(pool.pixelBytes(), pool.labelArray());
        int[] testLabels = answers.stream().skip(1).mapToInt(l -> Integer.parseInt(l.split(",")[1])).toArray();
        List<String> actual = rows(train.pixelBytes(), train.labelArray());
        actual.addAll(rows(test.pixelBytes(), testLabels));
        expected.sort(null);
        actual.sort(null);
        assertEquals(expected, actual);
        assertNotEquals(rows(pool.pixelBytes(), pool.labelArray()).subList(0, 200),
                rows(train.pixelBytes(), train.labelArray()), "the rows are shuffled");
    }

    @Test
    void theSameSeedWritesTheSameFiles(@TempDir Path other) throws Exception {
        DigitSet pool = DigitFiles.read(Fixtures.kaggleTrain());
        KaggleLayoutSplit.write(dir, 50, 3, pool);
        KaggleLayoutSplit.write(other, 50, 3, pool);
        for (String name : new String[] {"train.csv", "test.csv", "answers.csv"}) {
            assertArrayEquals(Files.readAllBytes(dir.resolve(name)), Files.readAllBytes(other.resolve(name)), name);
        }
        KaggleLayoutSplit.write(other, 50, 4, pool);
        assertFalse(Arrays.equals(Files.readAllBytes(dir.resolve("answers.csv")),
                Files.readAllBytes(other.resolve("answers.csv"))), "another seed, another split");
    }

    @Test
    void refusesImpossibleSplitsAndUnlabeledDigits() {
        DigitSet pool = DigitFiles.read(Fixtures.kaggleTrain());
        assertEquals("--test-rows: '300' is not an integer 1-299 (the pool holds 300 digits)",
                assertThrows(UserException.class, () -> KaggleLayoutSplit.write(dir, 300, 1, pool)).getMessage());
        assertThrows(UserException.class, () -> KaggleLayoutSplit.write(dir, 0, 1, pool));
        DigitSet unlabeled = DigitFiles.read(Fixtures.kaggleTest());
        assertTrue(assertThrows(UserException.class, () -> KaggleLayoutSplit.write(dir, 10, 1, pool, unlabeled))
                .getMessage().contains("has no labels"));
        assertFalse(Files.exists(dir.resolve("train.csv")), "nothing is written when the split is refused");
    }

    private static List<String> rows(byte[] pixels, int[] labels) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            rows.add(labels[i] + ":" + Arrays.toString(Arrays.copyOfRange(pixels, i * 784, (i + 1) * 784)));
        }
        return rows;
    }
}
