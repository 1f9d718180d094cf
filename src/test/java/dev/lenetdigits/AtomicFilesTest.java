package dev.lenetdigits;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aSetIsWrittenWholeOrLeftAsItWas() throws IOException {
        Path first = dir.resolve("train.csv");
        Path second = dir.resolve("test.csv");
        Files.writeString(first, "old train\n");
        Files.writeString(second, "old test\n");

        Map<Path, AtomicFiles.Writer> failing = new LinkedHashMap<>();
        failing.put(first, tmp -> Files.writeString(tmp, "new train\n"));
        failing.put(second, tmp -> {
            Files.writeString(tmp, "half a test");
            throw new IOException("No space left on device");
        });
        UserException e = assertThrows(UserException.class, () -> AtomicFiles.writeAll(failing));
        assertEquals(second + ": cannot write (No space left on device)", e.getMessage());
        assertEquals("old train\n", Files.readString(first), "the first file, already complete, was not moved in");
        assertEquals("old test\n", Files.readString(second));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("test.csv", "train.csv"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files are left behind");
        }

        Map<Path, AtomicFiles.Writer> working = new LinkedHashMap<>();
        working.put(first, tmp -> Files.writeString(tmp, "new train\n"));
        working.put(second, tmp -> Files.writeString(tmp, "new test\n"));
        AtomicFiles.writeAll(working);
        assertEquals("new train\n", Files.readString(first));
        assertEquals("new test\n", Files.readString(second));
    }
}
