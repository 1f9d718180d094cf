package dev.lenetdigits;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Small real data for tests: 300 labelled and 100 unlabelled digits cut from Kaggle's files. */
public final class Fixtures {
    private Fixtures() {}

    public static Path kaggleTrain() {
        return resource("kaggle/train-300.csv");
    }

    public static Path kaggleTest() {
        return resource("kaggle/test-100.csv");
    }

    public static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path p, String content) {
        try {
            Files.writeString(p, content);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path gzip(Path source, Path target) {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
            Files.copy(source, out);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
