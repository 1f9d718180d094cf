package dev.lenetdigits.device;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fresh JVMs loading libtorch into one empty JavaCPP cache, as two trainings started together on a new
 * machine do. Without the load lock one of two such JVMs died of SIGBUS now and then.
 */
class NativeLoadLockTest {
    @TempDir
    Path cache;
    @TempDir
    Path logs;

    /** Loads the natives and says so: the child process of these tests. */
    public static final class LoadNatives {
        public static void main(String[] args) {
            NativeRuntime.load();
            System.out.println("loaded");
        }
    }

    /** Deletes the unpacked natives here: JUnit's clean-up warns about every link JavaCPP made to system CUDA. */
    @AfterEach
    void deleteCache() throws IOException {
        try (Stream<Path> files = Files.walk(cache)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(cache)) {
                    Files.delete(p); // a link is deleted, not followed
                }
            }
        }
    }

    private Process startLoading(String name) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dorg.bytedeco.javacpp.cachedir=" + cache, "-cp", System.getProperty("java.class.path"),
                LoadNatives.class.getName())
                .directory(logs.toFile()) // where a crashing JVM drops its hs_err file
                .redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile()).start();
    }

    private String log(String name) throws IOException {
        return Files.readString(logs.resolve(name + ".log"), StandardCharsets.UTF_8);
    }

    /** What the cache holds besides lock files: the libraries unpacked so far. */
    private List<Path> unpacked() throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(p -> !p.getFileName().toString().endsWith(".lock")).toList();
        }
    }

    @Test
    void aSecondProcessTouchesTheCacheOnlyAfterTheFirstHasLoaded() throws Exception {
        Path lockFile = cache.resolve(".lenet-digits-load.lock");
        Process child;
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) { // this JVM plays the process that is loading
            child = startLoading("waiting");
            assertFalse(child.waitFor(5, TimeUnit.SECONDS), "the child loaded while the lock was held: " + log("waiting"));
            assertEquals(List.of(), unpacked(), "the child unpacked natives while the lock was held");
        }
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child did not load after the lock was released");
        assertEquals(0, child.exitValue(), log("waiting"));
        assertTrue(log("waiting").contains("loaded"), log("waiting"));
        assertFalse(unpacked().isEmpty(), "nothing was unpacked into " + cache);
    }

    @Test
    void twoProcessesStartedTogetherOnAnEmptyCacheBothLoad() throws Exception {
        Process first = startLoading("first");
        Process second = startLoading("second");
        for (Process p : List.of(first, second)) {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "a loading process hung");
        }
        assertEquals(0, first.exitValue(), log("first"));
        assertEquals(0, second.exitValue(), log("second"));
        assertTrue(log("first").contains("loaded") && log("second").contains("loaded"));
    }
}
