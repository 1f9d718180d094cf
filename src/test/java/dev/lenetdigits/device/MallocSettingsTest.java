package dev.lenetdigits.device;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's relaunch with glibc's malloc settings, seen from outside: a JVM started as a user starts it. */
class MallocSettingsTest {
    /** The child process of these tests: relaunches as the CLI does, then reports what it runs with. */
    public static final class ReportEnvironment {
        public static void main(String[] args) {
            var relaunched = MallocSettings.relaunchIfNeeded(ReportEnvironment.class, args);
            if (relaunched.isPresent()) {
                System.exit(relaunched.getAsInt());
            }
            System.out.println("top pad " + System.getenv("MALLOC_TOP_PAD_") + ", heap " + Runtime.getRuntime().maxMemory()
                    + ", args " + List.of(args));
            System.exit(args.length);
        }
    }

    /** Runs the child with the test's environment less every malloc setting, plus {@code extra}. */
    private static Result run(Map<String, String> extra, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx123m",
                "-cp", System.getProperty("java.class.path"), ReportEnvironment.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("MALLOC_") || k.equals(MallocSettings.RELAUNCH_VARIABLE));
        builder.environment().putAll(extra);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Result(process.exitValue(), output);
    }

    private record Result(int exit, String output) {}

    @Test
    void theRelaunchedProcessHasTheSettingsAndTheSameOptionsArgumentsAndExitCode() throws Exception {
        Result r = run(Map.of(), "one", "two words");
        assertEquals("top pad 268435456, heap " + heapOf123m() + ", args [one, two words]", r.output());
        assertEquals(2, r.exit());
    }

    @Test
    void aUserWhoSaysNoOrSetsMallocThemselvesIsLeftAsTheyAre() throws Exception {
        assertEquals("top pad null, heap " + heapOf123m() + ", args [x]",
                run(Map.of(MallocSettings.RELAUNCH_VARIABLE, "no"), "x").output());
        assertEquals("top pad null, heap " + heapOf123m() + ", args []", run(Map.of("MALLOC_ARENA_MAX", "2")).output());
    }

    @Test
    void onlyLinuxWithoutMallocSettingsOfItsOwnRelaunches() {
        assertTrue(MallocSettings.shouldRelaunch(Map.of("PATH", "/bin"), "Linux"));
        assertFalse(MallocSettings.shouldRelaunch(Map.of(), "Mac OS X"));
        assertFalse(MallocSettings.shouldRelaunch(Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=1"), "Linux"));
        assertFalse(MallocSettings.shouldRelaunch(Map.of(MallocSettings.RELAUNCH_VARIABLE, "relaunched"), "Linux"));
    }

    /** What -Xmx123m gives as maximum heap in a JVM of this kind, measured in a JVM that does not relaunch. */
    private static long heapOf123m() throws Exception {
        String out = run(Map.of(MallocSettings.RELAUNCH_VARIABLE, "no"), "probe").output();
        return Long.parseLong(out.replaceAll(".*heap (\\d+),.*", "$1"));
    }
}
