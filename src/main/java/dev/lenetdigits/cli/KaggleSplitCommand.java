package dev.lenetdigits.cli;

import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.KaggleLayoutSplit;
import dev.lenetdigits.data.MnistFetcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

@Command(name = "kaggle-split", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Pool MNIST's 70000 digits (fetched if missing) and write them shuffled in Kaggle's layout: "
                + "train.csv (42000 labelled), test.csv (28000 without labels) and answers.csv (the key for score). "
                + "Kaggle's own files are such a split of MNIST, so this scores a recipe offline as the leaderboard would.")
final class KaggleSplitCommand implements Runnable {
    @Option(names = "--dir", defaultValue = "data", paramLabel = "DIR",
            description = "Data folder; MNIST lives in DIR/mnist (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the three CSV files go.")
    Path outDir;

    @Option(names = "--test-rows", defaultValue = "28000", paramLabel = "N",
            description = "Digits in test.csv; the rest go to train.csv (default: ${DEFAULT-VALUE}, as on Kaggle).")
    int testRows;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seeds the shuffle (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public void run() {
        Path mnist = FetchCommand.fetch(dataDir, MnistFetcher.Source.AUTO, MnistFetcher.DEFAULT_MIRRORS);
        KaggleLayoutSplit.Counts counts = KaggleLayoutSplit.write(outDir, testRows, seed,
                DigitFiles.read(mnist.resolve("train-images-idx3-ubyte")),
                DigitFiles.read(mnist.resolve("t10k-images-idx3-ubyte")));
        System.out.printf("wrote %s (%d labelled digits), %s (%d digits) and %s%n",
                outDir.resolve(KaggleLayoutSplit.TRAIN), counts.train(), outDir.resolve(KaggleLayoutSplit.TEST),
                counts.test(), outDir.resolve(KaggleLayoutSplit.ANSWERS));
    }
}
