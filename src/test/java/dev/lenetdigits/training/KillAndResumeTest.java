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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a real training process with SIGKILL at random moments, checks that a valid checkpoint always
 * survives, resumes until the run completes, and compares the result with an uninterrupted run.
 */
class KillAndResumeTest {
    private static final int EPOCHS = 14;

    @TempDir
    Path dir;

    private Process start(String... trainArgs) throws Exception {
        return JavaCommand.mainClass(Main.class).jvmOptions(List.of("-Xmx1g"))
                .arguments(List.of("train", "--train", Fixtures.kaggleTrain().toString(), "--threads", "2", "--device", "cpu"))
                .arguments(List.of(trainArgs))
                .processBuilder().redirectErrorStream(true)
                .redirectOutput(dir.resolve("log-" + System.nanoTime() + ".txt").toFile()).start();
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
        int stalled = 0; // kills in a row after which no new epoch had been written
        int lastEpoch = 0;
        while (true) {
            // let it get past JVM start and at least one epoch now and then, then kill at a random moment; on a
            // busy machine a start can take longer than the window, so after three kills in a row that found no
            // new epoch the window doubles with each further one
            long window = (1500 + random.nextInt(2500)) * (1L << Math.min(10, Math.max(0, stalled - 2)));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(window);
            while (System.nanoTime() < deadline && running.isAlive()) {
                Thread.sleep(20);
            }
            if (!running.isAlive()) {
                assertEquals(0, running.exitValue(), "training process failed; see its log in " + dir);
                break;
            }
            running.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no cleanup
            kills++;
            int epoch = store.latest().map(c -> store.peek(c).epoch()).orElse(0);
            stalled = epoch > lastEpoch ? 0 : stalled + 1;
            lastEpoch = epoch;
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
