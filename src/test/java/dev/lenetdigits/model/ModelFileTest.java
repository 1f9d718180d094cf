package dev.lenetdigits.model;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.inference.Predictions;
import dev.lenetdigits.training.Trainer;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.OutputArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {
    @TempDir
    Path dir;

    @Test
    void saveThenLoadGivesIdenticalPredictionsAndMetadata() throws IOException {
        Trainer.Result trained = TrainedModels.small();
        Path file = dir.resolve("model.pt");
        ModelFile.save(file, trained.network(), trained.info());
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "no temporary file is left beside the model");
        }

        DigitSet test = DigitFiles.read(Fixtures.kaggleTest());
        Predictions before = new DigitClassifier(trained.network(), trained.info(), TrainedModels.cpu()).predict(test);
        ModelFile.Loaded loaded = ModelFile.load(file);
        Predictions after = new DigitClassifier(loaded.network(), loaded.info(), TrainedModels.cpu()).predict(test);
        assertArrayEquals(before.labels(), after.labels());
        assertArrayEquals(before.probabilities(), after.probabilities(), "bit-exact round trip");

        ModelInfo info = loaded.info();
        assertEquals("lenet", info.architecture());
        assertEquals(InputNormalization.MNIST, info.normalization());
        assertEquals(10, info.classes());
        assertEquals("6", info.training().get("epochs"));
        assertEquals("sgd", info.training().get("optimizer"));
        assertEquals(trained.info().toText(), info.toText());
    }

    @Test
    void everyKindOfBadFileIsOneClearError() throws IOException {
        Trainer.Result trained = TrainedModels.small();
        Path good = dir.resolve("good.pt");
        ModelFile.save(good, trained.network(), trained.info());
        byte[] bytes = Files.readAllBytes(good);

        assertError(dir.resolve("missing.pt"), "no such model file");
        assertError(Files.write(dir.resolve("empty.pt"), new byte[0]), "empty file, not a model");
        assertError(Fixtures.kaggleTest(), "not a lenet-digits model file (not a libtorch archive)");
        assertError(Files.write(dir.resolve("half.pt"), Arrays.copyOf(bytes, bytes.length / 2)),
                "not a readable model file");
        assertError(Files.write(dir.resolve("head.pt"), Arrays.copyOf(bytes, 10)), "not a readable model file");
        assertError(dir, "is a folder");

        // a valid libtorch archive that is not ours
        OutputArchive foreign = new OutputArchive();
        foreign.write("something", new IValue("else"));
        Path foreignFile = dir.resolve("foreign.pt");
        foreign.save_to(foreignFile.toString());
        assertError(foreignFile, "not a lenet-digits model (no metadata)");
    }

    private static void assertError(Path file, String expectedPart) {
        String message = assertThrows(UserException.class, () -> ModelFile.load(file)).getMessage();
        assertTrue(message.contains(expectedPart), message);
        assertTrue(message.startsWith(file.toString()), message);
        assertFalse(message.contains("\n"), message);
    }
}
