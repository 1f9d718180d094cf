package dev.lenetdigits.training;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.DeviceRequest;
import dev.lenetdigits.device.DeviceSettings;
import dev.lenetdigits.device.Precision;
import dev.lenetdigits.model.DigitNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ensemble members trained in processes of their own ({@code train --ensemble K --parallel P}). */
class ParallelMembersTest {
    @TempDir
    Path dir;

    /** lenet-plus with augmentation and dropout: every random stream a member has must stay its own. */
    private static final TrainingOptions OPTIONS = Recipe.LENET_PLUS.defaults().toBuilder().epochs(2).batchSize(32)
            .seed(5).valSplit(0.2).build();

    private static DigitSet digits() {
        return DigitFiles.read(Fixtures.kaggleTrain());
    }

    /** Two processes of one thread each train exactly the members one process with one thread trains in turn. */
    @Test
    void membersTrainedAtOnceEqualMembersTrainedInTurn() {
        List<Path> before = temporaryFolders();
        EnsembleTrainer.Result inTurn;
        try {
            ComputeDevice oneThread = new DeviceSettings(DeviceRequest.CPU, 1, Precision.FP32).open();
            inTurn = new EnsembleTrainer(OPTIONS, 3, List.of("plain", "deskew"), oneThread, TrainingListener.NONE)
                    .train(digits());
        } finally {
            TrainedModels.cpu(); // the other tests' two threads
        }
        EnsembleTrainer.Result atOnce = new EnsembleTrainer(OPTIONS, 3, List.of("plain", "deskew"), TrainedModels.cpu(),
                TrainingListener.NONE).inProcesses(2, Fixtures.kaggleTrain()).train(digits());

        List<DigitNetwork> expected = inTurn.network().members();
        List<DigitNetwork> actual = atOnce.network().members();
        assertEquals(3, actual.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(expected.get(i).architecture(), actual.get(i).architecture());
            assertTrue(TrainedModels.sameWeights(expected.get(i), actual.get(i)), "member " + (i + 1) + " differs");
        }
        assertEquals(inTurn.info().validationAccuracy(), atOnce.info().validationAccuracy());
        assertEquals(inTurn.info().training(), atOnce.info().training());
        // each member's epochs come back from its checkpoints, for the curves
        assertEquals(List.of(2, 2, 2), atOnce.memberEpochs().stream().map(List::size).toList());
        assertEquals(inTurn.memberEpochs().get(2).get(1).trainLoss(), atOnce.memberEpochs().get(2).get(1).trainLoss());
        assertEquals(before, temporaryFolders(), "the temporary folder of the member processes was left");
    }

    /** A run killed with a member finished and one part-way resumes with processes and ends as it would have. */
    @Test
    void aResumedRunTrainsOnlyWhatIsLeftInProcesses() throws IOException {
        Path folder = dir.resolve("ensemble");
        EnsembleTrainer.Result whole = new EnsembleTrainer(OPTIONS, 2, TrainedModels.cpu(), TrainingListener.NONE)
                .inProcesses(2, Fixtures.kaggleTrain()).checkpointInto(folder).train(digits());
        // member 2 died during its second epoch
        Files.delete(folder.resolve("member-02.pt"));
        Files.delete(folder.resolve("member-02").resolve("epoch-0002.ckpt.sha256"));
        long member1Written = Files.getLastModifiedTime(folder.resolve("member-01.pt")).toMillis();

        EnsembleRun.Manifest manifest = EnsembleRun.manifest(folder).orElseThrow();
        EnsembleTrainer.Result resumed = new EnsembleTrainer(manifest.options(), manifest.members(), manifest.views(),
                TrainedModels.cpu(), TrainingListener.NONE).resumeFrom(folder).inProcesses(2, Fixtures.kaggleTrain())
                .train(digits());
        assertTrue(TrainedModels.sameWeights(whole.network(), resumed.network()));
        assertEquals(member1Written, Files.getLastModifiedTime(folder.resolve("member-01.pt")).toMillis(),
                "the finished member was trained again");
    }

    @Test
    void aMemberProcessThatFailsEndsTheRunWithItsMessage() {
        List<Path> before = temporaryFolders();
        Path gone = dir.resolve("moved-away.csv"); // the file was there when train read it, not when a member did
        UserException e = assertThrows(UserException.class, () -> new EnsembleTrainer(OPTIONS, 3, TrainedModels.cpu(),
                TrainingListener.NONE).inProcesses(2, gone).train(digits()));
        assertTrue(e.getMessage().matches("ensemble member [123]: " + Pattern.quote(gone.toString())
                + ": .*"), e.getMessage());
        assertEquals(before, temporaryFolders());
    }

    @Test
    void processCountsAreChecked() {
        assertEquals("--parallel: '0' is not an integer 1-100", assertThrows(UserException.class,
                () -> EnsembleTrainer.checkProcesses(0)).getMessage());
    }

    private static List<Path> temporaryFolders() {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("lenet-digits-ensemble-")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
