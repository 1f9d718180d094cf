package dev.lenetdigits.data;

import com.sun.net.httpserver.HttpServer;
import dev.lenetdigits.UserException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTPS-mirror path of {@code fetch}, against a mirror on the loopback interface: never the internet.
 * (The npm path runs for real in {@code EndToEndMnistTest}.)
 */
class MnistFetcherTest {
    @TempDir
    Path dir;

    private HttpServer server;
    /** name → gzip body the mirror serves; a missing name answers 404. */
    private final Map<String, byte[]> served = new HashMap<>();
    /** names whose body is cut off half way, as a dropped connection would. */
    private final List<String> cutOff = new ArrayList<>();
    private final List<MnistFetcher.ExpectedFile> expected = new ArrayList<>();
    private final Map<String, byte[]> contents = new HashMap<>();

    @BeforeEach
    void startMirror() throws IOException {
        for (String name : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte"}) {
            byte[] content = (name + " content ").repeat(500).getBytes();
            contents.put(name, content);
            expected.add(new MnistFetcher.ExpectedFile(name, md5(content)));
            served.put(name + ".gz", gzip(content));
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mnist/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/mnist/".length());
            byte[] body = served.get(name);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else if (cutOff.contains(name)) {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body, 0, body.length / 2);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopMirror() {
        server.stop(0);
    }

    private URI mirror() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/");
    }

    private MnistFetcher fetcher(Path folder, List<URI> mirrors) {
        return new MnistFetcher(folder, expected, MnistFetcher.Source.MIRROR, mirrors, s -> { });
    }

    @Test
    void fetchesVerifiesAndInstallsFromAMirror() throws IOException {
        Path folder = dir.resolve("mnist");
        fetcher(folder, List.of(mirror())).fetch();
        for (var f : expected) {
            assertArrayEquals(contents.get(f.name()), Files.readAllBytes(folder.resolve(f.name())));
        }
        assertTrue(fetcher(folder, List.of(mirror())).isComplete());
        try (var listing = Files.list(folder)) {
            assertEquals(2, listing.count(), "no staging folder left behind");
        }
        // a second fetch finds everything in place and downloads nothing
        served.clear();
        fetcher(folder, List.of(mirror())).fetch();
    }

    @Test
    void wrongChecksumLeavesNothingBehind() {
        served.put("train-labels-idx1-ubyte.gz", gzip("tampered".getBytes()));
        assertNothingInstalledAfterFailure(List.of(mirror()), "has MD5");
    }

    @Test
    void interruptedDownloadLeavesNothingBehind() {
        cutOff.add("train-labels-idx1-ubyte.gz");
        assertNothingInstalledAfterFailure(List.of(mirror()), mirror().toString());
    }

    @Test
    void missingFileOnTheMirrorLeavesNothingBehind() {
        served.remove("train-labels-idx1-ubyte.gz");
        assertNothingInstalledAfterFailure(List.of(mirror()), "HTTP 404");
    }

    @Test
    void secondMirrorIsTriedWhenTheFirstFails() {
        Path folder = dir.resolve("mnist");
        URI dead = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/nothing-here/");
        fetcher(folder, List.of(dead, mirror())).fetch();
        assertTrue(fetcher(folder, List.of()).isComplete());
    }

    @Test
    void aCorruptedInstalledFileIsFetchedAgain() throws IOException {
        Path folder = dir.resolve("mnist");
        fetcher(folder, List.of(mirror())).fetch();
        Files.write(folder.resolve("train-images-idx3-ubyte"), "half".getBytes());
        assertFalse(fetcher(folder, List.of(mirror())).isComplete());
        fetcher(folder, List.of(mirror())).fetch();
        assertTrue(fetcher(folder, List.of(mirror())).isComplete());
    }

    private void assertNothingInstalledAfterFailure(List<URI> mirrors, String expectedPart) {
        Path folder = dir.resolve("mnist");
        String message = assertThrows(UserException.class, () -> fetcher(folder, mirrors).fetch()).getMessage();
        assertTrue(message.startsWith("fetch: could not obtain MNIST"), message);
        assertTrue(message.contains(expectedPart), message);
        try (var listing = Files.list(folder)) {
            assertEquals(List.of(), listing.toList(), "nothing a later run would trust");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    private static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
