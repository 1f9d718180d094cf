package dev.lenetdigits.training;

import dev.lenetdigits.JavaCommand;
import dev.lenetdigits.UserException;
import dev.lenetdigits.device.ComputeDevice;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains ensemble members in up to P processes at once ({@link MemberProcess}), each with the CPU threads
 * it is given. A small network spreads one batch over many threads poorly, so members side by side use the
 * cores better (docs/performance.md), and separate processes keep each member's random streams its own, so a member comes out as it would one at a time with those threads.
 * Each process's lines are relayed prefixed with its member; the first failure stops the others.
 */
final class MemberProcesses {
    private final int processes;
    private final int threadsEach;
    private final Path trainingFile;
    private final ComputeDevice device;
    private final TrainingListener listener;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private volatile boolean failed;

    MemberProcesses(int processes, int threadsEach, Path trainingFile, ComputeDevice device, TrainingListener listener) {
        this.processes = processes;
        this.threadsEach = threadsEach;
        this.trainingFile = trainingFile;
        this.device = device;
        this.listener = listener;
    }

    /** Trains {@code members} (indices from 0) of the ensemble whose manifest is in {@code folder}. */
    void train(Path folder, List<Integer> members) {
        Thread stopChildren = new Thread(this::stopAll); // Ctrl-C or kill of train: the members stop too
        Runtime.getRuntime().addShutdownHook(stopChildren);
        ExecutorService pool = Executors.newFixedThreadPool(processes);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int member : members) {
                outcomes.add(pool.submit(() -> trainOne(folder, member)));
            }
            String firstError = null;
            for (Future<String> outcome : outcomes) {
                String error = outcome.get();
                if (error != null && firstError == null) {
                    firstError = error;
                }
            }
            if (firstError != null) {
                throw new UserException(firstError);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while members were training");
        } catch (ExecutionException e) {
            throw new IllegalStateException("starting a member's process failed", e.getCause());
        } finally {
            pool.shutdownNow();
            stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(stopChildren);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    /** Runs one member's process to its end; null when it succeeded, else what went wrong. */
    private String trainOne(Path folder, int member) throws IOException, InterruptedException {
        if (failed) {
            return null; // another member failed first: its message is the one to show
        }
        // what decides where and how natives load travels along (JavaCPP's cache, its platform)
        Process process = JavaCommand.mainClass(MemberProcess.class)
                .jvmOptions(JavaCommand.systemProperties("org.bytedeco."))
                .arguments(MemberProcess.arguments(folder, member, trainingFile, threadsEach, device))
                .processBuilder().redirectErrorStream(true).start();
        running.add(process);
        String error = null;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                listener.memberOutput(member + 1, line);
                if (line.startsWith("error: ")) {
                    error = line.substring("error: ".length());
                }
            }
        }
        int exit = process.waitFor();
        running.remove(process);
        if (exit == 0 || failed) {
            return null;
        }
        failed = true;
        stopAll();
        return String.format(Locale.ROOT, "ensemble member %d: %s", member + 1, error != null ? error
                : "its training process ended with exit code " + exit + " (its output is above)");
    }

    private void stopAll() {
        running.forEach(Process::destroy);
    }
}
