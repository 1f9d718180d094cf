package dev.lenetdigits.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.lenetdigits.UserException;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.inference.DigitImages;
import dev.lenetdigits.inference.Prediction;
import dev.lenetdigits.inference.TestDigits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP API over real HTTP on a random port, with the reference model: every answer, every refusal, many
 * clients at once, the decompression bomb, slow clients and the API key.
 */
class ServeApiTest {
    private static final List<TestDigits.Digit> DIGITS = TestDigits.labeled(100);
    private static final int READ_TIMEOUT_MS = 1500;
    private static DigitServer server;
    private static Http http;
    private static DigitClassifier library;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        ServeOptions options = ServeOptions.defaults(TestDigits.model()).withPort(0)
                .withLimits(1024, 5L * 1024 * 1024, 4096L * 4096, READ_TIMEOUT_MS, 30_000);
        server = DigitServer.start(options);
        server.awaitReady();
        http = new Http(server.uri());
        library = DigitClassifier.load(TestDigits.model());
    }

    @AfterAll
    static void stop() {
        server.stop();
        library.close();
    }

    static String pixelsJson(byte[] pixels) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < pixels.length; i++) {
            s.append(i == 0 ? "" : ",").append(pixels[i] & 0xff);
        }
        return s.append(']').toString();
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            assertTrue(ImageIO.write(image, format, out), format);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** The answer must be the library's for the same digit: same digit, probabilities within float noise. */
    static void assertSameAnswer(Prediction expected, JsonObject answer) {
        assertEquals(expected.digit(), answer.get("digit").getAsInt());
        assertEquals(expected.probability(), answer.get("probability").getAsFloat(), 1e-5);
        JsonArray p = answer.getAsJsonArray("probabilities");
        assertEquals(10, p.size());
        for (int d = 0; d < 10; d++) {
            assertEquals(expected.probability(d), p.get(d).getAsFloat(), 1e-5, "digit " + d);
        }
    }

    // ---- answers ----------------------------------------------------------------------------------------

    @Test
    void pixelsAnswerAsTheLibraryDoes() {
        int right = 0;
        for (TestDigits.Digit d : DIGITS.subList(0, 30)) {
            JsonObject answer = Http.ok(http.postJson("{\"pixels\": " + pixelsJson(d.pixels()) + "}"));
            assertSameAnswer(library.classify(d.pixels()), answer);
            assertTrue(!answer.has("image"), "no image for pixels");
            right += answer.get("digit").getAsInt() == d.label() ? 1 : 0;
        }
        assertTrue(right >= 28, right + " of 30 right");
    }

    @Test
    void instancesAnswerEachInOrder() {
        StringBuilder body = new StringBuilder("{\"instances\": [");
        for (int i = 0; i < DIGITS.size(); i++) {
            body.append(i == 0 ? "" : ",").append(pixelsJson(DIGITS.get(i).pixels()));
        }
        JsonArray predictions = Http.ok(http.postJson(body.append("]}").toString())).getAsJsonArray("predictions");
        assertEquals(DIGITS.size(), predictions.size());
        for (int i = 0; i < DIGITS.size(); i++) {
            assertSameAnswer(library.classify(DIGITS.get(i).pixels()), predictions.get(i).getAsJsonObject());
        }
    }

    @Test
    void imagesInEveryFormatAreBroughtToMnistFormAsDigitImagesDoes() {
        TestDigits.Digit d = DIGITS.get(3);
        BufferedImage picture = TestDigits.darkOnLight(d.pixels());
        for (String[] f : new String[][] {{"png", "image/png"}, {"jpeg", "image/jpeg"}, {"bmp", "image/bmp"}, {"gif", "image/gif"}}) {
            byte[] bytes = encode(picture, f[0]);
            JsonObject answer = Http.ok(http.post("/v1/predict", f[1], bytes));
            byte[] expected;
            try {
                expected = DigitImages.toMnist(ImageIO.read(new ByteArrayInputStream(bytes)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            JsonArray image = answer.getAsJsonArray("image");
            assertEquals(784, image.size(), f[0]);
            byte[] seen = new byte[784];
            for (int i = 0; i < 784; i++) {
                seen[i] = (byte) image.get(i).getAsInt();
            }
            assertArrayEquals(expected, seen, f[0] + ": the 28×28 digit the network saw");
            assertSameAnswer(library.classify(expected), answer);
            assertEquals(d.label(), answer.get("digit").getAsInt(), f[0]);
        }
        // a Content-Type with parameters, and light ink on dark paper
        BufferedImage inverse = TestDigits.draw(d.pixels(), 90, 120, 3.0, 3, 20, Color.BLACK, Color.WHITE);
        assertEquals(d.label(), Http.ok(http.post("/v1/predict", "image/png; name=x", encode(inverse, "png"))).get("digit").getAsInt());
    }

    @Test
    void modelDescribesArchitectureMembersTrainingAndNormalization() {
        JsonObject m = Http.ok(http.get("/v1/model"));
        assertEquals(library.info().architecture(), m.get("architecture").getAsString());
        assertEquals(1, m.getAsJsonArray("members").size());
        assertEquals("lenet", m.getAsJsonArray("members").get(0).getAsJsonObject().get("architecture").getAsString());
        assertEquals(10, m.get("classes").getAsInt());
        JsonObject normalization = m.getAsJsonObject("input").getAsJsonObject("normalization");
        assertEquals(library.info().normalization().mean(), normalization.get("mean").getAsDouble());
        assertEquals(library.info().normalization().std(), normalization.get("std").getAsDouble());
        assertEquals(library.info().training().get("epochs"), m.getAsJsonObject("training").get("epochs").getAsString());
        assertEquals(library.info().validationAccuracy(), m.get("validation_accuracy").getAsDouble());
        assertEquals("fp32", m.getAsJsonObject("serving").get("precision").getAsString());
    }

    @Test
    void healthAndReadiness() {
        assertEquals("up", Http.ok(http.get("/healthz")).get("status").getAsString());
        assertEquals("ready", Http.ok(http.get("/readyz")).get("status").getAsString());
        HttpResponse<String> head = http.send(http.request("/healthz").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void metricsInPrometheusTextFormat() {
        Http.ok(http.postJson("{\"pixels\": " + pixelsJson(DIGITS.get(0).pixels()) + "}"));
        Http.refused(http.postJson("{\"pixels\": [1]}"), 422, "784");
        HttpResponse<String> r = http.get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"), r.headers().toString());
        String text = r.body();
        for (String expected : new String[] {
                "# TYPE lenet_digits_http_requests_total counter",
                "lenet_digits_http_requests_total{code=\"200\",endpoint=\"/v1/predict\"}",
                "lenet_digits_http_requests_total{code=\"422\",endpoint=\"/v1/predict\"}",
                "lenet_digits_http_errors_total{code=\"422\"}",
                "# TYPE lenet_digits_http_request_duration_seconds histogram",
                "lenet_digits_http_request_duration_seconds_bucket{endpoint=\"/v1/predict\",le=\"0.005\"}",
                "# TYPE lenet_digits_batch_size histogram",
                "lenet_digits_batch_size_bucket{le=\"1.0\"}",
                "lenet_digits_predictions_total ",
                "lenet_digits_queued_digits "}) {
            assertTrue(text.contains(expected), expected + " in:\n" + text);
        }
    }

    @Test
    void thePageAndItsFilesComeFromTheJarAndLoadNothingFromOutside() {
        HttpResponse<String> page = http.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self'"));
        assertTrue(page.body().contains("<canvas id=\"pad\""));
        for (String file : new String[] {"/app.js", "/style.css"}) {
            HttpResponse<String> r = http.get(file);
            assertEquals(200, r.statusCode(), file);
            assertTrue(!r.body().contains("http://") && !r.body().contains("https://"), file + " names no outside address");
        }
        assertTrue(!page.body().contains("http://") && !page.body().contains("https://"));
    }

    // ---- refusals ---------------------------------------------------------------------------------------

    @Test
    void badJsonIs400() {
        Http.refused(http.postJson("{\"pixels\": [1, 2,"), 400, "bad JSON");
        Http.refused(http.postJson("{\"pixels\": [1, 2,, 3]}"), 400, "bad JSON at line 1");
        Http.refused(http.postJson("{pixels: [1]}"), 400, "bad JSON");
        Http.refused(http.postJson("{\"pixels\": " + pixelsJson(new byte[784]) + "} x"), 400, "more after the object");
        Http.refused(http.postJson(""), 400, "empty body");
    }

    @Test
    void wrongShapesAndValuesAre422() {
        byte[] digit = DIGITS.get(0).pixels();
        String good = pixelsJson(digit);
        Http.refused(http.postJson("{\"pixels\": [1, 2, 3]}"), 422, "pixels: 3 values; a digit is 784 (28×28)");
        Http.refused(http.postJson("{\"pixels\": " + good.replace("]", ",0]") + "}"), 422, "785 values");
        Http.refused(http.postJson("{\"pixels\": " + good.replaceFirst("\\[[0-9]+", "[256") + "}"), 422, "pixels[0]: 256 is not an integer 0-255");
        Http.refused(http.postJson("{\"pixels\": " + good.replaceFirst("\\[[0-9]+,[0-9]+", "[0,-1") + "}"), 422, "pixels[1]: -1 is not an integer 0-255");
        Http.refused(http.postJson("{\"pixels\": " + good.replaceFirst("\\[[0-9]+", "[1.5") + "}"), 422, "pixels[0]: 1.5 is not an integer");
        Http.refused(http.postJson("{\"pixels\": " + good.replaceFirst("\\[[0-9]+", "[\"7\"") + "}"), 422, "pixels[0]: \"7\" is not an integer");
        Http.refused(http.postJson("{\"pixels\": 7}"), 422, "pixels: expected an array of 784 integers");
        Http.refused(http.postJson("{\"pixel\": " + good + "}"), 422, "unknown field \"pixel\"");
        Http.refused(http.postJson("{}"), 422, "no \"pixels\" or \"instances\"");
        Http.refused(http.postJson("[" + good + "]"), 422, "expected a JSON object");
        Http.refused(http.postJson("{\"instances\": []}"), 422, "instances: empty");
        Http.refused(http.postJson("{\"instances\": [" + good + ", [1]]}"), 422, "instances[1]: 1 values");
        Http.refused(http.postJson("{\"pixels\": " + good + ", \"instances\": [" + good + "]}"), 422, "after another digit field");
        // a whole number written with a fraction is still a whole number
        Http.ok(http.postJson("{\"pixels\": " + good.replaceFirst("\\[[0-9]+", "[12.0") + "}"));
    }

    @Test
    void tooManyInstancesIs413() {
        StringBuilder body = new StringBuilder("{\"instances\": [");
        String zeros = pixelsJson(new byte[784]);
        for (int i = 0; i <= 1024; i++) {
            body.append(i == 0 ? "" : ",").append(zeros);
        }
        Http.refused(http.postJson(body.append("]}").toString()), 413, "more than 1024 digits in one request");
    }

    @Test
    void unknownOrMissingContentTypeIs415() {
        Http.refused(http.post("/v1/predict", "text/plain", "7".getBytes(StandardCharsets.UTF_8)), 415, "text/plain is not accepted");
        Http.refused(http.post("/v1/predict", null, "7".getBytes(StandardCharsets.UTF_8)), 415, "Content-Type");
        // an image type whose bytes are no image this server decodes
        Http.refused(http.post("/v1/predict", "image/png", "just some text, not a picture".getBytes(StandardCharsets.UTF_8)),
                415, "not a PNG, JPEG, BMP or GIF");
    }

    @Test
    void imagesThatDoNotDecodeOrHaveNoInk() {
        byte[] png = encode(TestDigits.darkOnLight(DIGITS.get(0).pixels()), "png");
        byte[] truncated = Arrays.copyOf(png, 60);
        Http.refused(http.post("/v1/predict", "image/png", truncated), 400, "not a readable png image");
        Http.refused(http.post("/v1/predict", "image/png", new byte[0]), 400, "empty body");
        BufferedImage blank = new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB);
        Http.refused(http.post("/v1/predict", "image/png", encode(blank, "png")), 422, "no ink found");
    }

    @Test
    void aBodyOverTheLimitIs413WithOrWithoutContentLength() throws IOException {
        byte[] big = new byte[5 * 1024 * 1024 + 1];
        Http.refused(http.post("/v1/predict", "application/json", big), 413, "larger than 5242880 bytes");
        // chunked: no Content-Length to refuse it by, so the limit holds while reading
        HttpRequest chunked = http.request("/v1/predict").header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        Http.refused(http.send(chunked), 413, "larger than 5242880 bytes");
    }

    /** A PNG whose header claims width × height, with one small compressed block of zeros for its pixels. */
    static byte[] pngClaiming(int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        Deflater deflater = new Deflater(9);
        deflater.setInput(new byte[1 << 20]); // 1 MiB of zeros: the start of a 2.5 GB image
        deflater.finish();
        byte[] buffer = new byte[1 << 16];
        int n = deflater.deflate(buffer);
        chunk(png, "IDAT", Arrays.copyOf(buffer, n));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    @Test
    void aSmallPngClaimingFiftyThousandSquaredIsRefusedUndecoded() throws IOException {
        byte[] bomb = pngClaiming(50_000, 50_000);
        assertTrue(bomb.length < 10_000, bomb.length + " bytes");
        Runtime rt = Runtime.getRuntime();
        long usedBefore = rt.totalMemory() - rt.freeMemory();
        String error = Http.refused(http.post("/v1/predict", "image/png", bomb), 413, "claims 50000×50000 pixels");
        assertTrue(error.contains("at most 16777216 pixels"), error);
        long usedAfter = rt.totalMemory() - rt.freeMemory();
        // 2.5 GB of pixels were never allocated (the test JVM's heap is 2 GB: the server would have failed)
        assertTrue(usedAfter - usedBefore < 500L << 20, (usedAfter - usedBefore) + " bytes more in use");
        // the server is fine afterwards
        Http.ok(http.postJson("{\"pixels\": " + pixelsJson(DIGITS.get(1).pixels()) + "}"));
    }

    @Test
    void theImagePixelLimitHoldsAtItsEdge() throws IOException {
        try (DigitServer small = DigitServer.start(ServeOptions.defaults(TestDigits.model()).withPort(0)
                .withLimits(16, 1 << 20, 100 * 100, READ_TIMEOUT_MS, 1000))) {
            small.awaitReady();
            Http h = new Http(small.uri());
            byte[] digit = DIGITS.get(2).pixels();
            BufferedImage fits = TestDigits.draw(digit, 100, 100, 3.0, 8, 8, Color.WHITE, Color.BLACK);
            BufferedImage over = TestDigits.draw(digit, 101, 100, 3.0, 8, 8, Color.WHITE, Color.BLACK);
            assertEquals(DIGITS.get(2).label(), Http.ok(h.post("/v1/predict", "image/png", encode(fits, "png"))).get("digit").getAsInt());
            Http.refused(h.post("/v1/predict", "image/png", encode(over, "png")), 413, "claims 101×100 pixels; at most 10000");
            Http.refused(h.post("/v1/predict", "image/jpeg", encode(over, "jpeg")), 413, "jpeg image claims 101×100");
        }
    }

    @Test
    void wrongMethodIs405AndUnknownPathIs404() {
        HttpResponse<String> get = http.get("/v1/predict");
        Http.refused(get, 405, "GET is not allowed here: use POST");
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> post = http.post("/healthz", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        Http.refused(post, 405, "use GET");
        Http.refused(http.send(http.request("/v1/model").DELETE().build()), 405, "DELETE is not allowed");
        Http.refused(http.get("/v2/predict"), 404, "no such endpoint: /v2/predict");
        // Jetty refuses a path that climbs above the root before any handler sees it, in the same JSON form
        Http.refused(http.get("/../etc/passwd"), 400, "400 Bad Request");
    }

    @Test
    void aMalformedRequestGetsJsonFromJettyToo() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.contains("Content-Type: application/json"), answer);
            assertTrue(answer.contains("{\"error\":\"400 Bad Request"), answer);
        }
    }

    // ---- many clients -----------------------------------------------------------------------------------

    @Test
    void manyConcurrentClientsEachGetTheirOwnAnswers() throws Exception {
        // 32 clients at once, each sending its own digits, alone or in "instances" lists of different sizes,
        // so that passes mix requests: every answer must be the library's for that client's own digits
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < 32; c++) {
                int client = c;
                results.add(clients.submit((Callable<Integer>) () -> {
                    int checked = 0;
                    for (int round = 0; round < 15; round++) {
                        int first = (client * 7 + round * 13) % DIGITS.size();
                        int count = 1 + (client + round) % 5;
                        List<TestDigits.Digit> mine = new ArrayList<>();
                        for (int i = 0; i < count; i++) {
                            mine.add(DIGITS.get((first + i) % DIGITS.size()));
                        }
                        if (count == 1) {
                            assertSameAnswer(library.classify(mine.get(0).pixels()),
                                    Http.ok(http.postJson("{\"pixels\": " + pixelsJson(mine.get(0).pixels()) + "}")));
                        } else {
                            StringBuilder body = new StringBuilder("{\"instances\": [");
                            for (int i = 0; i < count; i++) {
                                body.append(i == 0 ? "" : ",").append(pixelsJson(mine.get(i).pixels()));
                            }
                            JsonArray p = Http.ok(http.postJson(body.append("]}").toString())).getAsJsonArray("predictions");
                            assertEquals(count, p.size());
                            for (int i = 0; i < count; i++) {
                                assertSameAnswer(library.classify(mine.get(i).pixels()), p.get(i).getAsJsonObject());
                            }
                        }
                        checked += count;
                    }
                    return checked;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get();
            }
            assertTrue(total > 32 * 15);
        } finally {
            clients.shutdownNow();
        }
        // the passes were shared: some held more than one request's digits
        String metrics = http.get("/metrics").body();
        double single = bucket(metrics, "1.0");
        double all = bucket(metrics, "+Inf");
        assertTrue(all > single, "some passes held several digits: " + single + " of " + all + " held one");
    }

    private static double bucket(String metrics, String le) {
        String prefix = "lenet_digits_batch_size_bucket{le=\"" + le + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst().orElseThrow();
    }

    @Test
    void aFullQueueAnswers503WithRetryAfter() throws Exception {
        try (DigitServer small = DigitServer.start(ServeOptions.defaults(TestDigits.model()).withPort(0)
                .withBatching(64, 0, 256).withLimits(256, 5L << 20, 1 << 20, 10_000, 1000))) {
            small.awaitReady();
            Http h = new Http(small.uri());
            StringBuilder body = new StringBuilder("{\"instances\": [");
            for (int i = 0; i < 256; i++) {
                body.append(i == 0 ? "" : ",").append(pixelsJson(DIGITS.get(i % DIGITS.size()).pixels()));
            }
            String full = body.append("]}").toString();
            ExecutorService clients = Executors.newFixedThreadPool(24);
            try {
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 48; i++) {
                    answers.add(clients.submit(() -> h.postJson(full)));
                }
                int ok = 0;
                int refused = 0;
                for (Future<HttpResponse<String>> f : answers) {
                    HttpResponse<String> r = f.get();
                    if (r.statusCode() == 503) {
                        Http.refused(r, 503, "overloaded");
                        assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
                        refused++;
                    } else {
                        assertEquals(256, Http.ok(r).getAsJsonArray("predictions").size());
                        ok++;
                    }
                }
                assertTrue(ok > 0 && refused > 0, ok + " answered, " + refused + " refused");
            } finally {
                clients.shutdownNow();
            }
        }
    }

    // ---- slow clients -----------------------------------------------------------------------------------

    @Test
    void aBodySentOneByteAtATimeTimesOutWith408() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 3200\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            InputStream in = s.getInputStream();
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        out.write('{');
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection: the point of the test
                }
            });
            trickle.setDaemon(true);
            trickle.start();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            double seconds = (System.nanoTime() - start) / 1e9;
            trickle.interrupt();
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("\"error\":\"the request took longer than 1500 ms to arrive\""), answer);
            assertTrue(seconds < READ_TIMEOUT_MS / 1000.0 + 3, seconds + " s");
        }
        Http.ok(http.get("/healthz"));
    }

    @Test
    void headersSentOneByteAtATimeAreCutOff() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            long start = System.nanoTime();
            byte[] request = "POST /v1/predict HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                    .getBytes(StandardCharsets.US_ASCII);
            boolean closed = false;
            for (byte b : request) {
                try {
                    out.write(b);
                    out.flush();
                } catch (SocketException e) {
                    closed = true;
                    break;
                }
                if (s.getInputStream().available() > 0) {
                    break;
                }
                Thread.sleep(100);
                if ((System.nanoTime() - start) / 1e9 > 10) {
                    break;
                }
            }
            if (!closed) {
                assertEquals(-1, s.getInputStream().read(), "the server closed the connection");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < READ_TIMEOUT_MS / 1000.0 + 3, "cut off after " + seconds + " s");
        }
    }

    // ---- API key ----------------------------------------------------------------------------------------

    @Test
    void withAnApiKeyTheApiNeedsItAndTheProbesAndPageDoNot() throws IOException {
        Path keyFile = Files.writeString(dir.resolve("key"), "s3cret-key-for-tests\n");
        try (DigitServer keyed = DigitServer.start(ServeOptions.defaults(TestDigits.model()).withPort(0).withApiKeyFile(keyFile))) {
            keyed.awaitReady();
            Http anonymous = new Http(keyed.uri());
            String body = "{\"pixels\": " + pixelsJson(DIGITS.get(0).pixels()) + "}";
            HttpResponse<String> none = anonymous.postJson(body);
            Http.refused(none, 401, "needs an API key");
            assertEquals("Bearer realm=\"lenet-digits\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
            Http.refused(anonymous.withKey("wrong").postJson(body), 401, "wrong API key");
            Http.refused(anonymous.withKey("s3cret-key-for-test").postJson(body), 401, "wrong API key");
            Http.refused(anonymous.get("/v1/model"), 401, "needs an API key");
            Http.refused(anonymous.get("/metrics"), 401, "needs an API key");
            Http.ok(anonymous.get("/healthz"));
            Http.ok(anonymous.get("/readyz"));
            assertEquals(200, anonymous.get("/").statusCode());

            Http keyedClient = anonymous.withKey("s3cret-key-for-tests");
            assertEquals(DIGITS.get(0).label(), Http.ok(keyedClient.postJson(body)).get("digit").getAsInt());
            Http.ok(keyedClient.get("/v1/model"));
            assertEquals(200, keyedClient.get("/metrics").statusCode());
            // "bearer" is case-insensitive, as RFC 6750's scheme names are
            HttpResponse<String> lower = keyedClient.send(anonymous.request("/v1/model")
                    .header("Authorization", "bearer s3cret-key-for-tests").GET().build());
            Http.ok(lower);
        }
    }

    @Test
    void anUnreadableKeyFileIsAOneLineError() {
        UserException e = assertThrows(UserException.class, () -> DigitServer.start(
                ServeOptions.defaults(TestDigits.model()).withPort(0).withApiKeyFile(dir.resolve("missing"))));
        assertEquals("--api-key-file: " + dir.resolve("missing") + ": no such file", e.getMessage());
    }

    // ---- readiness --------------------------------------------------------------------------------------

    @Test
    void aModelThatFailsToLoadLeavesTheServerUpButNotReady() throws IOException {
        Path corrupt = Files.write(dir.resolve("corrupt.pt"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        try (DigitServer broken = DigitServer.start(ServeOptions.defaults(corrupt).withPort(0))) {
            UserException e = assertThrows(UserException.class, broken::awaitReady);
            assertTrue(e.getMessage().startsWith(corrupt.toString()), e.getMessage());
            Http h = new Http(broken.uri());
            Http.ok(h.get("/healthz"));
            HttpResponse<String> ready = h.get("/readyz");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("the model failed to load"), ready.body());
            HttpResponse<String> predict = h.postJson("{\"pixels\": " + pixelsJson(new byte[784]) + "}");
            Http.refused(predict, 503, "not ready: the model failed to load");
            assertEquals("1", predict.headers().firstValue("Retry-After").orElse(""));
        }
    }
}
