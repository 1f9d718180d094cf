package dev.lenetdigits.cli;

import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.model.ModelFile;
import dev.lenetdigits.training.Trainer;
import dev.lenetdigits.training.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train LeNet on a labelled file (Kaggle train.csv, .csv.gz, or an MNIST IDX images file) and write a model file.")
final class TrainCommand implements Runnable {
    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Labelled training digits.")
    Path train;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Where to write the model.")
    Path model;

    @Mixin
    TrainingFlags flags;

    @Mixin
    DeviceOptions deviceOptions;

    @Override
    public void run() {
        TrainingOptions options = flags.toOptions();
        dev.lenetdigits.AtomicFiles.refuseOverwrite(train, model);
        ComputeDevice device = deviceOptions.select();
        trainAndSave(train, model, options, device);
    }

    static Trainer.Result trainAndSave(Path trainFile, Path modelFile, TrainingOptions options, ComputeDevice device) {
        DigitSet digits = DigitFiles.read(trainFile);
        long trainCount = Math.round(digits.size() * (1 - options.valSplit()));
        System.err.printf(Locale.ROOT, "training on %d digits from %s (%d held out for validation)%n",
                trainCount, trainFile, digits.size() - trainCount);
        Trainer trainer = new Trainer(options, device, new ProgressListener(System.out, trainCount));
        long t0 = System.nanoTime();
        Trainer.Result result = trainer.train(digits);
        ModelFile.save(modelFile, result.network(), result.info());
        System.out.printf(Locale.ROOT, "model written to %s (%.1f s of training)%n", modelFile,
                (System.nanoTime() - t0) / 1e9);
        return result;
    }
}
