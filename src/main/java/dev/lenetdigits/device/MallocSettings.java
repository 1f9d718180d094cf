package dev.lenetdigits.device;

import dev.lenetdigits.JavaCommand;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * glibc's malloc settings for libtorch on the CPU, and the relaunch that applies them.
 *
 * <p>libtorch takes every tensor's memory from malloc and gives it back at once. With glibc's defaults the
 * larger blocks (a batch's activations: megabytes) go back to the kernel on free and are faulted in again,
 * page by page, on the next batch, and the larger recipes spend much of their time in the kernel
 * (native-config/README.md has the figures). Keeping freed memory in the process (a fixed mmap threshold,
 * no trimming, a generous top pad) removes that. glibc reads these settings only when the process starts,
 * so the CLI starts itself once more with them when they are not set (see native-config/README.md).
 */
public final class MallocSettings {
    /** Set in the relaunched process so it never relaunches again; "no" by the user turns relaunching off. */
    public static final String RELAUNCH_VARIABLE = "LENET_DIGITS_RELAUNCH";

    private static final Map<String, String> SETTINGS = Map.of(
            // below 32 MiB (glibc's largest) from the heap, not from mmap; a fixed value stops glibc adapting it
            "MALLOC_MMAP_THRESHOLD_", "33554432",
            // never hand the heap's free top back to the kernel
            "MALLOC_TRIM_THRESHOLD_", "2147483647",
            // grow the heap in large steps, also in the arenas of other threads
            "MALLOC_TOP_PAD_", "268435456");

    private MallocSettings() {}

    /**
     * True when this process should start itself again with the settings: on Linux only, not when it
     * is the relaunched one or the user said no, and not when the user set any MALLOC_ variable (or glibc
     * tunables) of their own, which then stand as they are.
     */
    static boolean shouldRelaunch(Map<String, String> environment, String osName) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux") || environment.containsKey(RELAUNCH_VARIABLE)) {
            return false;
        }
        return environment.keySet().stream().noneMatch(k -> k.startsWith("MALLOC_") || k.equals("GLIBC_TUNABLES"));
    }

    /**
     * Starts {@code mainClass} again in a new JVM with the malloc settings and the same JVM options, class
     * path, arguments, standard streams and working folder, waits for it and returns its exit code; empty when
     * this process should do the work itself. A failure to start the second JVM is not the user's problem: the
     * work then goes on here, as before, only slower.
     */
    public static OptionalInt relaunchIfNeeded(Class<?> mainClass, String[] args) {
        if (!shouldRelaunch(System.getenv(), System.getProperty("os.name", ""))) {
            return OptionalInt.empty();
        }
        ProcessBuilder builder = JavaCommand.mainClass(mainClass).jvmOptions(JavaCommand.thisJvmsOptions())
                .arguments(List.of(args)).processBuilder().inheritIO();
        Map<String, String> environment = builder.environment();
        environment.putAll(SETTINGS);
        environment.put(RELAUNCH_VARIABLE, "relaunched");
        // already among the input arguments: passed twice, an agent would be loaded twice
        environment.remove("JDK_JAVA_OPTIONS");
        environment.remove("JAVA_TOOL_OPTIONS");
        Process child;
        try {
            child = builder.start();
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
        // Ctrl-C reaches both JVMs; a TERM sent to this one alone is passed on, and this one outlives the child
        // so that the shell gets its prompt back only when the work has stopped
        Thread passOn = new Thread(() -> {
            child.destroy();
            try {
                child.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(passOn);
        while (true) {
            try {
                int exit = child.waitFor();
                return OptionalInt.of(exit);
            } catch (InterruptedException e) {
                // nothing interrupts the main thread but a shutdown, which the hook handles
            }
        }
    }
}
