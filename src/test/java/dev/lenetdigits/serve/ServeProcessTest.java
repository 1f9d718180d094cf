package dev.lenetdigits.serve;

import dev.lenetdigits.JavaCommand;
import dev.lenetdigits.inference.InferMain;
import dev.lenetdigits.inference.TestDigits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code serve} as a user starts it: its flags, its one-line errors, the exposure warning, and SIGTERM. */
class ServeProcessTest {
    @TempDir
    Path dir;

    private String stderr;

    private int run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ServeMain.run(new PrintStream(err, true, StandardCharsets.UTF_8), args);
        stderr = err.toString(StandardCharsets.UTF_8);
        return code;
    }

    private void assertOneLineError(String expected) {
        assertEquals(1, stderr.lines().count(), stderr);
        assertEquals("error: " + expected, stderr.strip());
    }

    @Test
    void badFlagsAreOneLineAndExitCode2() {
        assertEquals(2, run("--port", "8080"));
        assertOneLineError("--model FILE is required (see 'lenet-digits-infer serve --help')");
        assertEquals(2, run("--model", "m.pt", "--port", "99999"));
        assertOneLineError("--port: '99999' is not an integer 0-65535 (see 'lenet-digits-infer serve --help')");
        assertEquals(2, run("--model", "m.pt", "--device", "tpu"));
        assertOneLineError("--device: 'tpu' is not one of auto, cpu, cuda (see 'lenet-digits-infer serve --help')");
        assertEquals(2, run("--model", "m.pt", "--max-wait"));
        assertOneLineError("--max-wait: needs a value (see 'lenet-digits-infer serve --help')");
        assertEquals(2, run("--model", "m.pt", "--max-instances", "5000", "--max-queue", "100"));
        assertTrue(stderr.startsWith("error: --max-instances 5000 is more than --max-queue 100"), stderr);
        assertEquals(2, run("--model=m.pt", "extra"));
        assertOneLineError("unexpected argument 'extra' (see 'lenet-digits-infer serve --help')");
    }

    @Test
    void aMissingModelOrABusyPortIsOneLineAndExitCode2() throws IOException {
        Path missing = dir.resolve("missing.pt");
        assertEquals(2, run("--model", missing.toString(), "--port", "0"));
        assertOneLineError(missing + ": no such model file");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(2, run("--model", TestDigits.model().toString(), "--port", Integer.toString(taken.getLocalPort())));
            assertOneLineError("cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (Address already in use)");
        }
    }

    @Test
    void listeningBeyondThisMachineWithoutAKeyIsWarnedInOneLine() {
        assertEquals("warning: listening on 0.0.0.0 without --api-key-file: anyone who can reach port 8080 can use "
                + "the model and read its metrics", ServeMain.exposureWarning("0.0.0.0", 8080, false));
        assertTrue(ServeMain.exposureWarning("192.0.2.7", 80, false).startsWith("warning: listening on 192.0.2.7 "));
        assertNull(ServeMain.exposureWarning("0.0.0.0", 8080, true));
        for (String loopback : List.of("127.0.0.1", "localhost", "::1", "127.0.0.2")) {
            assertNull(ServeMain.exposureWarning(loopback, 8080, false), loopback);
        }
    }

    @Test
    void helpListsEveryEndpointAndFlag() {
        for (String s : List.of("POST /v1/predict", "GET  /v1/model", "/healthz", "/readyz", "/metrics", "--max-batch",
                "--max-wait-ms", "--api-key-file", "--max-body-mb", "--read-timeout-ms")) {
            assertTrue(ServeMain.USAGE.contains(s), s);
        }
    }

    /**
     * The real jar entry point in a fresh JVM: SIGTERM while a request is half sent. The port stops taking
     * connections, the request in flight still gets its answer, then the process ends.
     */
    @Test
    void sigtermFinishesTheRequestInFlightAndRefusesNewOnes() throws Exception {
        Process p = JavaCommand.mainClass(InferMain.class)
                .arguments(List.of("serve", "--model", TestDigits.model().toString(), "--port", "0",
                        "--drain-timeout-ms", "20000"))
                .processBuilder().start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> everything = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    everything.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            int port = -1;
            Pattern ready = Pattern.compile("serve: ready on http://127\\.0\\.0\\.1:(\\d+)/ \\(.*, cpu \\(\\d+ threads\\)\\)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            StringBuilder seen = new StringBuilder();
            while (port < 0 && System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null) {
                    seen.append(line).append('\n');
                    Matcher m = ready.matcher(line);
                    if (m.find()) {
                        port = Integer.parseInt(m.group(1));
                    }
                }
            }
            assertTrue(port > 0, "never ready: " + seen);

            TestDigits.Digit digit = TestDigits.labeled(5).get(4);
            byte[] body = ("{\"pixels\": " + ServeApiTest.pixelsJson(digit.pixels()) + "}").getBytes(StandardCharsets.US_ASCII);
            try (Socket inFlight = new Socket("127.0.0.1", port)) {
                inFlight.setSoTimeout(30_000);
                OutputStream out = inFlight.getOutputStream();
                out.write(("POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, body.length / 2);
                out.flush();
                Thread.sleep(300);

                p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its stderr)
                // the request in flight goes on arriving, a byte at a time, while new connections are tried
                int sent = body.length / 2;
                boolean refused = false;
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (!refused && System.nanoTime() < until && sent < body.length - 1) {
                    out.write(body[sent++]);
                    out.flush();
                    try (Socket fresh = new Socket("127.0.0.1", port)) {
                        Thread.sleep(50);
                    } catch (ConnectException e) {
                        refused = true;
                    }
                }
                assertTrue(refused, "new connections are refused after SIGTERM");
                assertTrue(p.isAlive(), "still finishing the request in flight");

                out.write(body, sent, body.length - sent);
                out.flush();
                String answer = Http.readResponse(inFlight.getInputStream());
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
                assertTrue(answer.contains("\"digit\":" + digit.label()), answer);
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ended after the request in flight");
            assertEquals(143, p.exitValue()); // 128 + SIGTERM, after the shutdown hook ran
            reader.join(5_000);
            String all = String.join("\n", everything);
            assertTrue(all.contains("serve: stopping") && all.contains("serve: stopped"), all);
            assertTrue(!all.contains("Exception") && !all.contains("\tat "), all);
        } finally {
            p.destroyForcibly();
        }
    }
}
