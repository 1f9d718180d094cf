package dev.lenetdigits.training;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.model.Architectures;
import dev.lenetdigits.model.ModelFile;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointsTest {
    @TempDir
    Path dir;

    private static final TrainingOptions OPTIONS = TrainingOptions.builder().epochs(4).batchSize(32).lrDecay(0.8).seed(5).build();

    private static Trainer.Result train(Trainer trainer) {
        return trainer.train(DigitFiles.read(Fixtures.kaggleTrain()));
    }

    @Test
    void resumedRunEndsWithTheSameModelAsAnUninterruptedOne() throws IOException {
        Trainer.Result uninterrupted = train(new Trainer(OPTIONS, TrainedModels.cpu(), TrainingListener.NONE));

        Checkpoints store = new Checkpoints(dir.resolve("ckpt"));
        Trainer.Result checkpointed = train(new Trainer(OPTIONS, TrainedModels.cpu(), TrainingListener.NONE)
                .checkpointInto(store));
        assertTrue(TrainedModels.sameWeights(uninterrupted.network(), checkpointed.network()), "checkpointing changes nothing");
        try (var files = Files.list(store.folder())) {
            assertEquals(List.of("epoch-0003.ckpt", "epoch-0003.ckpt.sha256", "epoch-0004.ckpt", "epoch-0004.ckpt.sha256"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "the last two are kept");
        }

        // pretend the run died during epoch 4: only epoch 3's checkpoint survives
        Files.delete(store.folder().resolve("epoch-0004.ckpt.sha256"));
        Path latest = store.latest().orElseThrow();
        assertEquals("epoch-0003.ckpt", latest.getFileName().toString());
        Trainer.Result resumed = train(new Trainer(store.peek(latest).options(), TrainedModels.cpu(), TrainingListener.NONE)
                .resumeFrom(store, latest));
        assertTrue(TrainedModels.sameWeights(uninterrupted.network(), resumed.network()), "resume reproduces the uninterrupted model");
        assertEquals(4, resumed.epochs().size(), "history carries over");
        for (int e = 0; e < 4; e++) {
            assertEquals(uninterrupted.epochs().get(e).trainLoss(), resumed.epochs().get(e).trainLoss(), "epoch " + (e + 1));
        }
    }

    @Test
    void resumeKeepsTheBestEpochsWeightsForRestoreBest() throws IOException {
        // a learning rate high enough that the last epoch is not the best one, so restoring matters
        TrainingOptions keepBest = OPTIONS.toBuilder().lr(0.15).lrDecay(1).valSplit(0.2).restoreBest(true).build();
        Trainer.Result uninterrupted = train(new Trainer(keepBest, TrainedModels.cpu(), TrainingListener.NONE));
        double last = uninterrupted.epochs().get(3).validationAccuracy();
        assertTrue(uninterrupted.info().validationAccuracy() > last, "best " + uninterrupted.info().validationAccuracy()
                + " vs last " + last + ": this test needs an earlier best epoch");

        Checkpoints store = new Checkpoints(dir.resolve("best"));
        train(new Trainer(keepBest, TrainedModels.cpu(), TrainingListener.NONE).checkpointInto(store));
        Files.delete(store.folder().resolve("epoch-0004.ckpt.sha256")); // died during epoch 4
        Path latest = store.latest().orElseThrow();
        Trainer.Result resumed = train(new Trainer(keepBest, TrainedModels.cpu(), TrainingListener.NONE)
                .resumeFrom(store, latest));
        assertEquals(uninterrupted.info().validationAccuracy(), resumed.info().validationAccuracy());
        assertTrue(TrainedModels.sameWeights(uninterrupted.network(), resumed.network()),
                "the resumed run ends with the same best epoch's weights");

        // the checkpoint carries the kept copy: one tensor per parameter and buffer
        var network = Architectures.create(keepBest.architecture());
        Checkpoints.State state = store.restore(latest, network, new SGD(network.parameters(),
                new SGDOptions(0.1)), TrainedModels.cpu());
        assertEquals(network.parameters().size() + network.buffers().size(), state.bestWeights().size());
    }

    @Test
    void aKilledEnsembleResumesToTheSameMembers() throws IOException {
        TrainingOptions options = TrainingOptions.builder().epochs(2).batchSize(32).lrDecay(0.8).seed(7).valSplit(0.2)
                .build();
        EnsembleTrainer.Result uninterrupted = new EnsembleTrainer(options, 2, TrainedModels.cpu(), TrainingListener.NONE)
                .train(DigitFiles.read(Fixtures.kaggleTrain()));

        Path folder = dir.resolve("ensemble");
        EnsembleTrainer.Result checkpointed = new EnsembleTrainer(options, 2, TrainedModels.cpu(), TrainingListener.NONE)
                .checkpointInto(folder).train(DigitFiles.read(Fixtures.kaggleTrain()));
        assertTrue(TrainedModels.sameWeights(uninterrupted.network(), checkpointed.network()), "checkpointing changes nothing");
        assertTrue(Files.isRegularFile(folder.resolve("member-01.pt")) && Files.isRegularFile(folder.resolve("member-02.pt")));

        // pretend the run died during member 2's second epoch
        Files.delete(folder.resolve("member-02.pt"));
        Files.delete(folder.resolve("member-02").resolve("epoch-0002.ckpt.sha256"));
        EnsembleRun.Manifest manifest = EnsembleRun.manifest(folder).orElseThrow();
        assertEquals(2, manifest.members());
        assertEquals(options, manifest.options());
        EnsembleTrainer.Result resumed = new EnsembleTrainer(manifest.options(), manifest.members(), TrainedModels.cpu(),
                TrainingListener.NONE).resumeFrom(folder).train(DigitFiles.read(Fixtures.kaggleTrain()));
        assertTrue(TrainedModels.sameWeights(uninterrupted.network(), resumed.network()),
                "member 1 loaded, member 2 resumed: the uninterrupted ensemble");
        assertEquals(uninterrupted.info().validationAccuracy(), resumed.info().validationAccuracy());
        assertEquals(4, resumed.epochs().size(), "both members' epochs are reported");
        assertEquals(List.of(2, 2), resumed.memberEpochs().stream().map(List::size).toList());

        // member 1's checkpoints deleted by hand: its epochs are gone, member 2's stay member 2's
        try (var files = Files.walk(folder.resolve("member-01"))) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
        EnsembleTrainer.Result loadedOnly = new EnsembleTrainer(manifest.options(), manifest.members(),
                TrainedModels.cpu(), TrainingListener.NONE).resumeFrom(folder).train(DigitFiles.read(Fixtures.kaggleTrain()));
        assertTrue(TrainedModels.sameWeights(uninterrupted.network(), loadedOnly.network()));
        assertEquals(List.of(0, 2), loadedOnly.memberEpochs().stream().map(List::size).toList());
        assertEquals(resumed.memberEpochs().get(1), loadedOnly.memberEpochs().get(1));

        String message = assertThrows(UserException.class, () -> new EnsembleTrainer(options, 2, TrainedModels.cpu(),
                TrainingListener.NONE).checkpointInto(folder)).getMessage();
        assertEquals(folder + ": already holds files; continue that run with --resume " + folder
                + ", or name an empty folder", message);
        assertTrue(EnsembleRun.manifest(dir).isEmpty(), "a folder without a manifest is not an ensemble's");
    }

    @Test
    void damagedNewestCheckpointFallsBackToThePreviousOne() throws IOException {
        Checkpoints store = new Checkpoints(dir.resolve("ckpt"));
        train(new Trainer(OPTIONS, TrainedModels.cpu(), TrainingListener.NONE).checkpointInto(store));
        Path newest = store.folder().resolve("epoch-0004.ckpt");
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, Arrays.copyOf(bytes, bytes.length / 2));
        assertEquals("epoch-0003.ckpt", store.latest().orElseThrow().getFileName().toString());

        bytes[bytes.length / 3] ^= 0x55; // a flipped bit, length unchanged
        Files.write(newest, bytes);
        assertEquals("epoch-0003.ckpt", store.latest().orElseThrow().getFileName().toString());
    }

    @Test
    void divergenceKeepsTheLastGoodCheckpointAndSaysWhere() {
        Checkpoints store = new Checkpoints(dir.resolve("ckpt"));
        TrainingOptions explosive = TrainingOptions.builder().epochs(3).batchSize(10).lr(10).momentum(0.99).lrDecay(1)
                .seed(3).valSplit(0).build();
        String message = assertThrows(UserException.class, () -> train(new Trainer(explosive, TrainedModels.cpu(),
                TrainingListener.NONE).checkpointInto(store))).getMessage();
        assertTrue(message.startsWith("training diverged: loss is"), message);
        assertTrue(message.contains("epoch 1, step"), message);
        assertTrue(message.contains("no checkpoint was written yet") || message.contains("last good checkpoint"), message);
    }

    @Test
    void modelFileOfAResumedRunLoads() {
        Checkpoints store = new Checkpoints(dir.resolve("ckpt"));
        Trainer.Result result = train(new Trainer(OPTIONS, TrainedModels.cpu(), TrainingListener.NONE).checkpointInto(store));
        Path model = dir.resolve("m.pt");
        ModelFile.save(model, result.network(), result.info());
        assertTrue(TrainedModels.sameWeights(result.network(), ModelFile.load(model).network()));
    }
}
