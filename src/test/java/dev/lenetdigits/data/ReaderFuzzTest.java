package dev.lenetdigits.data;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.UserException;
import dev.lenetdigits.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Feeds the readers thousands of damaged files: truncations, bit flips, inserted and deleted bytes, huge
 * numbers, long lines, damaged headers. Each must end in a valid result or the tool's clear error
 * ({@link UserException}, one line naming the file), never another exception, a hang or a crash.
 * {@code -Dfuzz.cases=N} sets the cases per reader (default 1500; the README suggests 20000 for a long run).
 */
class ReaderFuzzTest {
    private static final int CASES = Integer.getInteger("fuzz.cases", 1500);

    @TempDir
    Path dir;

    private record Tally(int valid, int clearErrors) {}

    private Tally fuzz(byte[] seed, String fileName, long randomSeed, Function<Path, Object> reader) {
        Random random = new Random(randomSeed);
        int valid = 0;
        int errors = 0;
        Path file = dir.resolve(fileName);
        for (int i = 0; i < CASES; i++) {
            byte[] mutated = mutate(seed, random);
            try {
                Files.write(file, mutated);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            try {
                reader.apply(file);
                valid++;
            } catch (UserException e) {
                String m = e.getMessage();
                assertTrue(m.startsWith(file.toString()) && !m.contains("\n"), "case " + i + ": " + m);
                errors++;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("case " + i + " of " + fileName + " (seed " + randomSeed + ") ended in "
                        + e + "; input written to " + file, e);
            }
        }
        return new Tally(valid, errors);
    }

    private static final List<String> CSV_SPECIALS = List.of("\"", ",", "\r", "\n", "\uFEFF", "-", ".", " ", "\r\n\r\n");

    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            switch (r.nextInt(8)) {
                case 0 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1)); // truncate
                case 1 -> { // bit flip
                    if (b.length > 0) {
                        b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 2 -> b = insert(b, r.nextInt(b.length + 1), randomBytes(r, 1 + r.nextInt(8)));
                case 3 -> { // delete a run
                    if (b.length > 1) {
                        int at = r.nextInt(b.length - 1);
                        int n = 1 + r.nextInt(Math.min(16, b.length - at));
                        byte[] c = new byte[b.length - n];
                        System.arraycopy(b, 0, c, 0, at);
                        System.arraycopy(b, at + n, c, at, b.length - at - n);
                        b = c;
                    }
                }
                case 4 -> b = insert(b, r.nextInt(b.length + 1), // a huge number
                        Long.toString(Math.abs(r.nextLong())).getBytes(StandardCharsets.US_ASCII));
                case 5 -> b = insert(b, r.nextInt(b.length + 1), ",0".repeat(1 + r.nextInt(20_000))
                        .getBytes(StandardCharsets.US_ASCII)); // a long line
                case 6 -> { // interesting values in the first 16 bytes (IDX header fields)
                    if (b.length >= 4) {
                        int at = r.nextInt(Math.min(13, b.length - 3));
                        int v = List.of(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 20, 28, 784).get(r.nextInt(7));
                        b[at] = (byte) (v >>> 24);
                        b[at + 1] = (byte) (v >>> 16);
                        b[at + 2] = (byte) (v >>> 8);
                        b[at + 3] = (byte) v;
                    }
                }
                default -> b = insert(b, r.nextInt(b.length + 1), // CSV specials
                        CSV_SPECIALS.get(r.nextInt(CSV_SPECIALS.size())).getBytes(StandardCharsets.UTF_8));
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] extra) {
        byte[] c = new byte[b.length + extra.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(extra, 0, c, at, extra.length);
        System.arraycopy(b, at, c, at + extra.length, b.length - at);
        return c;
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @Test
    void csvReaderSurvivesDamagedFiles() throws IOException {
        List<String> lines = Fixtures.lines(Fixtures.kaggleTrain()).subList(0, 4);
        byte[] seed = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII);
        Tally t = assertTimeoutPreemptively(Duration.ofMinutes(5), () -> fuzz(seed, "fuzz.csv", 1, DigitFiles::read));
        System.out.printf("fuzz: %d CSV cases: %d read as valid, %d clear errors%n", CASES, t.valid, t.clearErrors);
        assertEquals(CASES, t.valid + t.clearErrors);
        assertTrue(t.clearErrors > CASES / 2, "most mutations must be caught");
    }

    @Test
    void zipReaderSurvivesDamagedArchives() throws IOException {
        List<String> lines = Fixtures.lines(Fixtures.kaggleTrain()).subList(0, 4);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("digit-recognizer/train.csv"));
            zip.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        Tally t = assertTimeoutPreemptively(Duration.ofMinutes(5),
                () -> fuzz(bytes.toByteArray(), "fuzz.zip", 3, DigitFiles::read));
        System.out.printf("fuzz: %d zip cases: %d read as valid, %d clear errors%n", CASES, t.valid, t.clearErrors);
        assertEquals(CASES, t.valid + t.clearErrors);
        assertTrue(t.clearErrors > CASES / 2, "most mutations must be caught");
    }

    @Test
    void idxReaderSurvivesDamagedFiles() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x803);
        out.writeInt(3);
        out.writeInt(28);
        out.writeInt(28);
        byte[] pixels = new byte[3 * 784];
        new Random(5).nextBytes(pixels);
        out.write(pixels);
        Files.write(dir.resolve("fuzz-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3});
        Tally t = assertTimeoutPreemptively(Duration.ofMinutes(5),
                () -> fuzz(bytes.toByteArray(), "fuzz-images-idx3-ubyte", 2, DigitFiles::read));
        System.out.printf("fuzz: %d IDX cases: %d read as valid, %d clear errors%n", CASES, t.valid, t.clearErrors);
        assertEquals(CASES, t.valid + t.clearErrors);
    }

    @Test
    void modelLoaderSurvivesDamagedFiles() throws IOException {
        Path good = dir.resolve("good.pt");
        var trained = TrainedModels.small();
        ModelFile.save(good, trained.network(), trained.info());
        byte[] seed = Files.readAllBytes(good);
        int cases = Math.max(100, CASES / 5);
        Random random = new Random(3);
        int valid = 0;
        int errors = 0;
        Path file = dir.resolve("fuzz.pt");
        for (int i = 0; i < cases; i++) {
            Files.write(file, mutateSparsely(seed, random));
            try {
                ModelFile.Loaded loaded = ModelFile.load(file);
                // damage the file's format shrugs off is fine; damage that changes the model is not
                assertTrue(TrainedModels.sameWeights(trained.network(), loaded.network()),
                        "case " + i + " loaded different weights without an error");
                assertEquals(trained.info(), loaded.info(), "case " + i);
                valid++;
            } catch (UserException e) {
                assertTrue(!e.getMessage().contains("\n"), e.getMessage());
                errors++;
            }
        }
        System.out.printf("fuzz: %d model-file cases: %d loaded the intact model, %d clear errors%n", cases, valid, errors);
        assertTrue(errors > cases / 2, "most damaged model files must be refused: " + errors + " of " + cases);
    }

    /** A model file is 5 MB: flip, cut or insert at a few places rather than rewriting it. */
    private static byte[] mutateSparsely(byte[] seed, Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> Arrays.copyOf(seed, r.nextInt(seed.length));
            case 1 -> {
                byte[] b = seed.clone();
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                yield b;
            }
            default -> insert(seed, r.nextInt(seed.length), randomBytes(r, 1 + r.nextInt(8)));
        };
    }
}
