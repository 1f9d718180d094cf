package dev.lenetdigits.training;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.model.DigitNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ensembles whose members see the digits through different views, in turn. */
class EnsembleViewsTest {
    @TempDir
    Path dir;

    @Test
    void membersTakeTheViewsInTurnAndAResumedRunKeepsThem() throws IOException {
        TrainingOptions options = TrainingOptions.builder().epochs(2).batchSize(32).lrDecay(0.8).seed(7).valSplit(0.2).build();
        Path folder = dir.resolve("ensemble");
        EnsembleTrainer.Result trained = new EnsembleTrainer(options, 3, List.of("plain", "deskew"), TrainedModels.cpu(),
                TrainingListener.NONE).checkpointInto(folder).train(DigitFiles.read(Fixtures.kaggleTrain()));
        assertEquals("ensemble-3:lenet*1,lenet+deskew*1,lenet*1", trained.network().architecture());
        assertEquals(List.of("lenet", "lenet+deskew", "lenet"),
                trained.network().members().stream().map(DigitNetwork::architecture).toList());
        assertEquals("lenet,lenet+deskew,lenet", trained.info().training().get("members.architecture"));
        assertFalse(trained.info().training().containsKey("architecture"), "not member 1's for all");
        assertTrue(trained.info().validationAccuracy() > 0.5, trained.epochs().toString());

        EnsembleRun.Manifest manifest = EnsembleRun.manifest(folder).orElseThrow();
        assertEquals(List.of("plain", "deskew"), manifest.views());
        // the run died during member 3's second epoch; resumed with what the manifest says, it ends the same
        Files.delete(folder.resolve("member-03.pt"));
        Files.delete(folder.resolve("member-03").resolve("epoch-0002.ckpt.sha256"));
        EnsembleTrainer.Result resumed = new EnsembleTrainer(manifest.options(), manifest.members(), manifest.views(),
                TrainedModels.cpu(), TrainingListener.NONE).resumeFrom(folder).train(DigitFiles.read(Fixtures.kaggleTrain()));
        assertTrue(TrainedModels.sameWeights(trained.network(), resumed.network()));
        assertEquals(trained.network().architecture(), resumed.network().architecture());
    }

    @Test
    void viewsAreCheckedBeforeAnyTraining() {
        TrainingOptions options = TrainedModels.shortRun(1);
        String tooMany = assertThrows(UserException.class, () -> new EnsembleTrainer(options, 2,
                List.of("plain", "deskew", "width14"), TrainedModels.cpu(), TrainingListener.NONE)).getMessage();
        assertEquals("--view: 3 views for 2 members; members take the views in turn, so give 1 to 2", tooMany);
        String unknown = assertThrows(UserException.class, () -> new EnsembleTrainer(options, 2,
                List.of("plain", "width40"), TrainedModels.cpu(), TrainingListener.NONE)).getMessage();
        assertEquals("--view: 'width40' is not plain, deskew or widthN with N 4-28", unknown);
    }
}
