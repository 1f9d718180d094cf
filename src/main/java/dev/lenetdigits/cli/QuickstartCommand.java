package dev.lenetdigits.cli;

import dev.lenetdigits.data.MnistFetcher;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.scoring.EvaluationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The default run: fetch MNIST if missing, train with the defaults, evaluate on the 10000 "
                + "test digits, and write a submission for them. Prints the equivalent commands as it goes.")
final class QuickstartCommand implements Runnable {
    @Option(names = "--dir", defaultValue = "data", paramLabel = "DIR",
            description = "Data folder; MNIST lives in DIR/mnist (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--out", defaultValue = "runs/default", paramLabel = "DIR",
            description = "Where the model and submission go (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Mixin
    TrainingFlags flags;

    @Mixin
    DeviceOptions deviceOptions;

    @Override
    public void run() {
        long t0 = System.nanoTime();
        step("fetch --dir " + dataDir);
        Path mnist = FetchCommand.fetch(dataDir, MnistFetcher.Source.AUTO, MnistFetcher.DEFAULT_MIRRORS);
        Path train = mnist.resolve("train-images-idx3-ubyte");
        Path test = mnist.resolve("t10k-images-idx3-ubyte");
        Path model = outDir.resolve("model.pt");
        Path submission = outDir.resolve("submission.csv");
        ComputeDevice device = deviceOptions.open();

        step("train --train " + train + " --model " + model);
        TrainCommand.trainAndSave(train, model, flags.toOptions().withPrecision(device.precision()), device);

        step("evaluate --model " + model + " --input " + test);
        EvaluationReport report = EvaluateCommand.evaluate(model, test, device);
        System.out.print(report.format());

        step("predict --model " + model + " --input " + test + " --out " + submission);
        PredictCommand.predict(model, test, submission, device, false);

        System.out.printf(Locale.ROOT, "%nquickstart: test accuracy %.2f%%, %.0f s in all; model %s, submission %s%n",
                100 * report.accuracy(), (System.nanoTime() - t0) / 1e9, model, submission);
    }

    private static void step(String command) {
        System.out.println();
        System.out.println("== java -jar target/lenet-digits.jar " + command);
    }
}
