package dev.lenetdigits.cli;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code predict} streams: a 25000-row CSV (over 40 MB) is classified by a JVM whose heap (48 MB) could not
 * even hold the file's bytes, let alone the rows as Java objects.
 */
class StreamingPredictTest {
    private static final int ROWS = 25_000;

    @TempDir
    Path dir;

    @Test
    void predictsALargeCsvInBoundedMemory() throws Exception {
        List<String> source = Fixtures.lines(Fixtures.kaggleTest());
        Path big = dir.resolve("big.csv");
        try (BufferedWriter w = Files.newBufferedWriter(big)) {
            w.write(source.get(0));
            w.write('\n');
            for (int i = 0; i < ROWS; i++) {
                w.write(source.get(1 + i % (source.size() - 1)));
                w.write('\n');
            }
        }
        assertTrue(Files.size(big) > 40_000_000, "file of " + Files.size(big) + " bytes");
        Path model = dir.resolve("m.pt");
        var trained = TrainedModels.small();
        ModelFile.save(model, trained.network(), trained.info());
        Path out = dir.resolve("submission.csv");

        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
                // JavaCPP caps the process's physical memory at 4× the heap by default; libtorch alone is more
                "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-cp", System.getProperty("java.class.path"), "dev.lenetdigits.cli.Main", "predict",
                "--model", model.toString(), "--input", big.toString(), "--out", out.toString(), "--threads", "2")
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertEquals(0, p.waitFor(), Files.readString(dir.resolve("log.txt")));

        List<String> lines = Files.readAllLines(out);
        assertEquals(ROWS + 1, lines.size());
        assertEquals("ImageId,Label", lines.get(0));
        assertEquals(ROWS + ",", lines.get(ROWS).substring(0, lines.get(ROWS).indexOf(',') + 1));
        // the rows repeat every 100, and so must the predictions
        for (int i = 101; i <= ROWS; i += 997) {
            assertEquals(lines.get(i).split(",")[1], lines.get(1 + (i - 1) % 100).split(",")[1], "row " + i);
        }
    }
}
