package dev.lenetdigits.training;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.JavaCommand;
import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.cli.Main;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a real training process with SIGKILL at random moments, checks that a valid checkpoint always
 * survives, resumes until the run completes, and compares the result with an uninterrupted run.
 */
class KillAndResumeTest {
    private static final int EPOCHS = 14;
    private static final Pattern CHECKPOINT_NAME = Pattern.compile("epoch-(\\d+)\\.ckpt");

    @TempDir
    Path dir;

    private Process start(String... trainArgs) throws Exception {
        return JavaCommand.mainClass(Main.class).jvmOptions(List.of("-Xmx1g"))
                .arguments(List.of("train", "--train", Fixtures.kaggleTrain().toString(), "--threads", "2", "--device", "cpu"))
                .arguments(List.of(trainArgs))
                .processBuilder().redirectErrorStream(true)
                .redirectOutput(dir.resolve("log-" + System.nanoTime() + ".txt").toFile()).start();
    }

    private static void sleepWhileAlive(Process process, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline && process.isAlive()) {
            Thread.sleep(5);
        }
    }

    /** The highest epoch among the checkpoint files written so far (each appears whole, by a rename); 0 for none. */
    private static int newestCheckpointEpoch(Path folder) {
        try (var files = Files.list(folder)) {
            return files.map(p -> CHECKPOINT_NAME.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void killNineAtRandomMomentsThenResume() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Path model = dir.resolve("model.pt");
        Checkpoints store = new Checkpoints(ckpt);
        Random random = new Random(20261124);

        Process first = start("--model", model.toString(), "--checkpoint-dir", ckpt.toString(),
                "--epochs", Integer.toString(EPOCHS), "--seed", "9", "--batch-size", "16", "--lr", "0.02", "--lr-decay", "0.9");
        Process running = first;
        int kills = 0;
        int resumes = 0;
        int lastEpoch = 0;
        while (true) {
            // The first kill comes early, most likely before any checkpoint exists (a fresh start again). Each
            // later one waits for the run to get one to three epochs further, then comes at a random moment of
            // the next epoch or checkpoint write: kills follow the run's progress, not the clock, so a fast
            // machine does not finish before it has been killed and a slow one is not killed before it starts.
            if (kills == 0) {
                sleepWhileAlive(running, 200 + random.nextInt(800));
            } else {
                int target = lastEpoch + 1 + random.nextInt(3);
                long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                while (running.isAlive() && newestCheckpointEpoch(ckpt) < target) {
                    assertTrue(System.nanoTime() < giveUp, "no checkpoint past epoch " + lastEpoch + " in 5 minutes; see "
                            + dir);
                    Thread.sleep(10);
                }
                sleepWhileAlive(running, random.nextInt(250));
            }
            if (!running.isAlive()) {
                assertEquals(0, running.exitValue(), "training process failed; see its log in " + dir);
                break;
            }
            running.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no cleanup
            kills++;
            lastEpoch = newestCheckpointEpoch(ckpt); // the next kill waits for a checkpoint past every file here
            if (store.latest().isEmpty()) {
                running = start("--model", model.toString(), "--checkpoint-dir", ckpt.toString(),
                        "--epochs", Integer.toString(EPOCHS), "--seed", "9", "--batch-size", "16", "--lr", "0.02",
                        "--lr-decay", "0.9");
                continue; // killed before the first epoch ended: nothing to resume yet
            }
            Path latest = store.latest().get();
            assertTrue(store.peek(latest).epoch() >= 1, "a valid checkpoint survives the kill");
            running = start("--model", model.toString(), "--resume", ckpt.toString());
            resumes++;
        }
        assertTrue(kills >= 2, "killed only " + kills + " times; the run was too quick to test anything");
        System.out.printf("kill-and-resume: %d SIGKILLs survived, %d resumes%n", kills, resumes);

        TrainingOptions options = TrainingOptions.builder().epochs(EPOCHS).batchSize(16).lrDecay(0.9).seed(9).build();
        Trainer.Result uninterrupted = new Trainer(options, TrainedModels.cpu(), TrainingListener.NONE)
                .train(DigitFiles.read(Fixtures.kaggleTrain()));
        assertTrue(Files.isRegularFile(model));
        assertTrue(TrainedModels.sameWeights(uninterrupted.network(), ModelFile.load(model).network()),
                "after " + kills + " kills the model equals an uninterrupted run's");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary files left");
        }
        assertTrue(new File(ckpt.toFile(), String.format("epoch-%04d.ckpt", EPOCHS)).isFile());
    }
}
