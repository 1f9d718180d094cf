package dev.lenetdigits.cli;

import dev.lenetdigits.bench.Benchmark;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.data.MnistFetcher;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.model.Architectures;
import dev.lenetdigits.training.Recipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmark the reference LeNet (or --recipe lenet-plus, lenet-deep): training and inference images/s, seconds per epoch, "
                + "CSV rows/s, native memory growth. The last line holds the figures.")
final class BenchCommand implements Runnable {
    @Option(names = "--recipe", defaultValue = "lenet", paramLabel = "NAME",
            description = "lenet (the reference figures), lenet-plus or lenet-deep, to see what its epochs cost (default: ${DEFAULT-VALUE}).")
    String recipe;

    @Option(names = "--view", defaultValue = Architectures.PLAIN, paramLabel = "VIEW",
            description = "Time the recipe's network seeing digits this way, as train --view does: plain, deskew or widthN "
                    + "(default: ${DEFAULT-VALUE}).")
    String view;

    @Option(names = "--batch-size", defaultValue = "128", paramLabel = "N", description = "Training batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--epochs", defaultValue = "2", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--input", paramLabel = "FILE",
            description = "Labelled training digits (default: MNIST's 60000, fetched into DIR/mnist if missing).")
    Path input;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Kaggle-layout train.csv to time the loader on (default: 42000 MNIST digits written as one).")
    Path csv;

    @Option(names = "--dir", defaultValue = "data", paramLabel = "DIR", description = "Data folder (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Mixin
    DeviceOptions deviceOptions;

    @Override
    public void run() {
        Recipe timed = Recipe.named(recipe);
        Benchmark.options(timed, view, batchSize, epochs); // a bad flag fails here, before the fetch and the CSV timing
        ComputeDevice device = deviceOptions.open();
        Path mnist = FetchCommand.fetch(dataDir, MnistFetcher.Source.AUTO, MnistFetcher.DEFAULT_MIRRORS);
        DigitSet train = DigitFiles.read(input != null ? input : mnist.resolve("train-images-idx3-ubyte"));
        DigitSet test = DigitFiles.read(mnist.resolve("t10k-images-idx3-ubyte"));
        Path csvFile = csv;
        if (csvFile == null) {
            csvFile = dataDir.resolve("bench/train-42000.csv");
            if (!Files.isRegularFile(csvFile)) {
                Benchmark.writeKaggleCsv(DigitFiles.read(mnist.resolve("train-images-idx3-ubyte")), 42_000, csvFile);
            }
        }
        int threads = org.bytedeco.pytorch.global.torch.get_num_threads();
        Benchmark.Figures figures = new Benchmark(device, threads, System.err)
                .run(train, test, csvFile, timed, view, batchSize, epochs);
        System.out.println(figures.format());
    }
}
