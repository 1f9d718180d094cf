package dev.lenetdigits;

import dev.lenetdigits.cli.Main;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.model.ModelFile;
import dev.lenetdigits.model.ModelInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files written by lenet-digits before its code was reorganised (commit 11e5daa, built from this clone's
 * history by {@link CompatFixtures}) still load, predict the same probabilities bit for bit, and resume to the
 * model the uninterrupted run wrote, bit for bit.
 */
class CompatibilityTest {
    private static Path compat;
    private static final List<String> MODELS = List.of("lenet.pt", "lenet-plus-width14.pt", "lenet-deep-bf16.pt",
            "ensemble.pt", "mixed.pt");
    /**
     * Fixtures whose network computes the same function with other kernels since they were written, so their
     * results are rounded differently on every machine: the reference LeNet's fc1 goes through oneDNN's inner
     * product (FullyConnected). Their predictions must agree to 1e-5 and a fresh run's weights to rounding.
     */
    private static final Set<String> OTHER_KERNELS_SINCE = Set.of("lenet.pt");

    @TempDir
    Path dir;

    @BeforeAll
    static void writeTheFixturesWithTheOldCode() {
        compat = CompatFixtures.folder();
    }

    @Test
    void everyModelFileLoadsAndPredictsAsTheCodeThatWroteIt() {
        DigitSet test = DigitFiles.read(Fixtures.kaggleTest());
        for (String name : MODELS) {
            assertSamePredictions(name, name + ".probabilities", test, false);
        }
        assertSamePredictions("lenet.pt", "lenet.pt.tta.probabilities", test, true);

        assertEquals("lenet-plus+width14", load("lenet-plus-width14.pt").architecture());
        assertEquals("bf16", load("lenet-deep-bf16.pt").training().get("precision"));
        assertEquals("ensemble-2:lenet-deep*1,lenet-deep+deskew*1", load("ensemble.pt").architecture());
        ModelInfo mixed = load("mixed.pt");
        assertEquals("ensemble-2:lenet-plus+width14*1,lenet-deep*1", mixed.architecture());
        assertEquals("-,bf16", mixed.training().get("members.precision"));
        assertEquals("1,1", mixed.training().get("member-seeds"));
    }

    @Test
    void aSingleRunsBf16CheckpointResumesInBf16ToTheModelTheRunWrote() {
        Path folder = copy("lenet-deep-bf16-ckpt");
        Path model = dir.resolve("resumed.pt");
        assertEquals(0, Main.run("train", "--train", Fixtures.kaggleTrain().toString(), "--model", model.toString(),
                "--resume", folder.toString(), "--threads", "2", "--device", "cpu"));
        assertTrainedAs("lenet-deep-bf16.pt", model);
        assertEquals("bf16", ModelFile.load(model).info().training().get("precision"));
    }

    @Test
    void anEnsembleRunFolderResumesToTheEnsembleTheRunWrote() {
        Path model = dir.resolve("resumed.pt");
        assertEquals(0, Main.run("train", "--train", Fixtures.kaggleTrain().toString(), "--model", model.toString(),
                "--resume", copy("ensemble-ckpt").toString(), "--threads", "2", "--device", "cpu"));
        assertTrainedAs("ensemble.pt", model);

        // the unfinished member in a process of its own, with the two threads it started with
        Path inProcess = dir.resolve("resumed-in-a-process.pt");
        Path again = copy("ensemble-ckpt", "ensemble-ckpt-2");
        assertEquals(0, Main.run("train", "--train", Fixtures.kaggleTrain().toString(), "--model", inProcess.toString(),
                "--resume", again.toString(), "--parallel", "2", "--threads", "4", "--device", "cpu"));
        assertTrainedAs("ensemble.pt", inProcess);
    }

    /** The same command trains the same network as the code that wrote the fixture: seeding, order, augmentation. */
    @Test
    void aFreshRunTrainsTheModelItTrainedThen() {
        Path lenet = dir.resolve("lenet.pt");
        assertEquals(0, Main.run("train", "--train", Fixtures.kaggleTrain().toString(), "--model", lenet.toString(),
                "--epochs", "1", "--threads", "2", "--device", "cpu"));
        assertTrainedAs("lenet.pt", lenet);
        Path plus = dir.resolve("lenet-plus-width14.pt");
        assertEquals(0, Main.run("train", "--train", Fixtures.kaggleTrain().toString(), "--model", plus.toString(),
                "--recipe", "lenet-plus", "--view", "width14", "--epochs", "1", "--threads", "2", "--device", "cpu"));
        assertTrainedAs("lenet-plus-width14.pt", plus);
    }

    /**
     * {@code trained} is the fixture {@code expectedName}: its record, and its weights bit for bit (to rounding
     * where the network's kernels changed since).
     */
    private void assertTrainedAs(String expectedName, Path trained) {
        ModelFile.Loaded expected = ModelFile.load(compat.resolve(expectedName));
        ModelFile.Loaded actual = ModelFile.load(trained);
        assertEquals(expected.info().architecture(), actual.info().architecture());
        assertEquals(expected.info().training(), actual.info().training());
        if (OTHER_KERNELS_SINCE.contains(expectedName)) {
            assertTrue(TrainedModels.closeWeights(expected.network(), actual.network(), 1e-4, 1e-6),
                    trained + " differs from " + expectedName + " by more than rounding");
        } else {
            assertTrue(TrainedModels.sameWeights(expected.network(), actual.network()),
                    trained + " differs from " + expectedName);
            assertEquals(expected.info(), actual.info());
        }
    }

    private static void assertSamePredictions(String model, String probabilities, DigitSet test, boolean tta) {
        float[] expected = readProbabilities(compat.resolve(probabilities));
        float[] actual;
        try (DigitClassifier classifier = DigitClassifier.load(compat.resolve(model), TrainedModels.cpu(), tta)) {
            actual = classifier.predict(test).probabilities();
        }
        if (!OTHER_KERNELS_SINCE.contains(model)) {
            assertArrayEquals(expected, actual, model + (tta ? " with --tta" : "") + ": not the same bits");
        } else {
            assertArrayEquals(expected, actual, 1e-5f, model + (tta ? " with --tta" : ""));
        }
    }

    private static ModelInfo load(String name) {
        return ModelFile.load(compat.resolve(name)).info();
    }

    /** The fixture's ten probabilities per digit, written as float bit patterns. */
    private static float[] readProbabilities(Path file) {
        List<String> lines = Fixtures.lines(file);
        float[] p = new float[lines.size() * 10];
        for (int row = 0; row < lines.size(); row++) {
            String[] bits = lines.get(row).split(" ");
            assertEquals(10, bits.length, file + ":" + (row + 1));
            for (int c = 0; c < 10; c++) {
                p[row * 10 + c] = Float.intBitsToFloat(Integer.parseUnsignedInt(bits[c], 16));
            }
        }
        return p;
    }

    private Path copy(String folder) {
        return copy(folder, folder);
    }

    /** A fixture folder copied, so that resuming may write into it. */
    private Path copy(String folder, String as) {
        Path from = compat.resolve(folder);
        Path to = dir.resolve(as);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }
}
