package dev.lenetdigits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The files {@link CompatibilityTest} reads, written by the code of commit {@value #COMMIT} (the last before the
 * code was reorganised): that commit's tree is taken from this clone's git history, built with Maven, and
 * src/test/resources/compat/make-fixtures.sh runs its jar. Once per build folder ({@code target/compat-11e5daa};
 * a finished set is reused). Model files and checkpoints are megabytes each, which git should not hold, and
 * written here they come from the same libtorch kernels as the code under test, so results can be compared
 * bit for bit on any machine.
 */
final class CompatFixtures {
    static final String COMMIT = "11e5daa";
    private static final Path BUILD = Path.of("target", "compat-" + COMMIT).toAbsolutePath();
    private static final long STEP_MINUTES = 15;

    private CompatFixtures() {}

    /** The folder holding the fixtures, made first when needed. */
    static synchronized Path folder() {
        Path fixtures = BUILD.resolve("fixtures");
        if (Files.isDirectory(fixtures)) {
            return fixtures;
        }
        deleteRecursively(BUILD);
        Path source = BUILD.resolve("source");
        Path partial = BUILD.resolve("fixtures.partial");
        try {
            Files.createDirectories(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        step("git archive " + COMMIT + " (CompatibilityTest needs this commit in the clone's history: a full clone, "
                + "not a shallow one)", Path.of(""), "bash", "-c",
                "set -o pipefail; git archive " + COMMIT + " | tar -x -C '" + source + "'");
        step("building " + COMMIT + " with mvn", source, "mvn", "-B", "-q", "package", "-DskipTests");
        step("make-fixtures.sh with " + COMMIT + "'s jar", Path.of(""), "bash",
                Fixtures.resource("compat/make-fixtures.sh").toString(),
                source.resolve("target/lenet-digits.jar").toString(), partial.toString());
        try {
            Files.move(partial, fixtures);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fixtures;
    }

    /** Runs a command in {@code directory}; its output goes to a log beside the fixtures, quoted on failure. */
    private static void step(String what, Path directory, String... command) {
        Path log = BUILD.resolve("steps.log");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toAbsolutePath().toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(STEP_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(what + ": still running after " + STEP_MINUTES + " minutes; see " + log);
            }
            if (process.exitValue() != 0) {
                List<String> lines = Files.readAllLines(log);
                fail(what + " failed (exit " + process.exitValue() + "); the end of " + log + ":\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
            }
        } catch (IOException e) {
            fail(what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(what + ": interrupted");
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
