package dev.lenetdigits.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * native-config's bundle scripts as a user runs them (bash, from the project's root), on what they check before
 * any slow work: a bad flag is one line and exit 2, and a part that did not travel whole is named.
 */
class BundleScriptsTest {
    @TempDir
    Path dir;

    private record Result(int exit, String output) {}

    private static Result bash(String... arguments) throws IOException, InterruptedException {
        return run(Path.of("."), "bash", arguments);
    }

    private static Result run(Path workingDirectory, String program, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the script hung: " + output);
        return new Result(process.exitValue(), output);
    }

    @Test
    void runBundleRefusesBadFlagsInOneLine() throws Exception {
        Result device = bash("native-config/run-bundle.sh", "--device", "tpu");
        assertEquals(new Result(2, "run-bundle.sh: --device: 'tpu' is not cuda or cpu\n"), device);
        Result budget = bash("native-config/run-bundle.sh", "--budget", "ten");
        assertEquals(2, budget.exit());
        assertEquals(1, budget.output().lines().count(), budget.output());
        Result kaggle = bash("native-config/run-bundle.sh", "--kaggle-train", dir.resolve("train.csv").toString());
        assertEquals(2, kaggle.exit());
        assertTrue(kaggle.output().startsWith("run-bundle.sh: --kaggle-train and --kaggle-test name two existing files"),
                kaggle.output());
    }

    @Test
    void unpackNamesEachPartThatIsMissingOrDamagedAndUnpacksNothing() throws Exception {
        Path parts = Files.createDirectories(dir.resolve("parts"));
        Files.writeString(parts.resolve("bundle.tar.xz.part-000"), "first part");
        Files.writeString(parts.resolve("bundle.tar.xz.part-001"), "second part, one byte off");
        Files.writeString(parts.resolve("SHA256SUMS"), sha256("first part") + "  bundle.tar.xz.part-000\n"
                + sha256("second part, one byte of") + "  bundle.tar.xz.part-001\n"
                + sha256("third part") + "  bundle.tar.xz.part-002\n");
        Path dest = dir.resolve("dest");
        Result result = bash("native-config/unpack-bundle.sh", parts.toString(), dest.toString());
        assertEquals(2, result.exit(), result.output());
        assertEquals(List.of(
                "unpack-bundle.sh: " + parts.resolve("bundle.tar.xz.part-001") + ": damaged (its SHA-256 differs); send it again",
                "unpack-bundle.sh: " + parts.resolve("bundle.tar.xz.part-002") + ": missing"), result.output().lines().toList());
        assertFalse(Files.exists(dest));
    }

    @Test
    void deviceTreeReportsWhatTravelsWithEachCall() throws Exception {
        String script = Path.of("native-config/device-tree.sh").toAbsolutePath().toString();
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Path folder = Files.createDirectories(checkout.resolve("src/test/resources/data"));
        Files.write(folder.resolve("model.pt"), new byte[3 << 20]);
        Files.writeString(checkout.resolve("README.md"), "readme\n");
        Files.writeString(checkout.resolve(".gitignore"), "ignored/\n");
        Files.write(Files.createDirectories(checkout.resolve("ignored")).resolve("big.bin"), new byte[5 << 20]);
        assertEquals(0, run(checkout, "git", "init", "-q").exit());
        assertEquals(0, run(checkout, "git", "add", ".").exit());

        Result report = run(checkout, "bash", script);
        assertEquals(0, report.exit(), report.output());
        assertTrue(report.output().startsWith("travels with each device call: 3.0 MiB of 64 MiB\n"), report.output());
        assertTrue(report.output().contains("3.0 MiB  src/test/resources/data"), report.output());

        Result argument = run(checkout, "bash", script, "--slim");
        assertEquals(new Result(2, "device-tree.sh: takes no arguments (got '--slim')\n"), argument);
    }

    private static String sha256(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
