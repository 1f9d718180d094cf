package dev.lenetdigits.inference;

import dev.lenetdigits.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inference CLI's contract: one line per digit, --top, --json, and one-line errors with exit code 2. */
class InferMainTest {
    @TempDir
    Path dir;

    private String stdout;
    private String stderr;

    private int run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = InferMain.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        stdout = out.toString(StandardCharsets.UTF_8);
        stderr = err.toString(StandardCharsets.UTF_8);
        return code;
    }

    private static String model() {
        return TestDigits.model().toString();
    }

    /** Three labelled digits as a CSV, and the fourth as a PNG: (path of csv, path of png). */
    private Path[] inputs() throws IOException {
        List<String> lines = Fixtures.lines(Fixtures.kaggleTrain());
        Path csv = Files.write(dir.resolve("three.csv"), lines.subList(0, 4)); // labels 7, 3, 3
        List<TestDigits.Digit> digits = TestDigits.labeled(4);
        Path png = TestDigits.write(TestDigits.darkOnLight(digits.get(3).pixels()), "png", dir.resolve("four.png"));
        return new Path[] {csv, png};
    }

    @Test
    void oneLinePerDigitWithInputRowDigitAndProbability() throws IOException {
        Path[] in = inputs();
        int label = TestDigits.labeled(4).get(3).label();
        assertEquals(0, run("--model", model(), in[0].toString(), in[1].toString()), stderr);
        assertEquals("", stderr);
        List<String> lines = stdout.lines().toList();
        assertEquals(4, lines.size(), stdout);
        String[] expected = {in[0] + ":1\t7\t", in[0] + ":2\t3\t", in[0] + ":3\t3\t", in[1] + "\t" + label + "\t"};
        for (int i = 0; i < 4; i++) {
            assertTrue(lines.get(i).startsWith(expected[i]), lines.get(i));
            assertTrue(lines.get(i).matches(".*\t[0-9]\t[01]\\.[0-9]{4}"), lines.get(i));
        }
    }

    /**
     * In a fresh JVM, where libtorch is loaded on a second thread while the inputs are read: a CSV and an
     * image together once deadlocked in JavaCPP's class initialisers.
     */
    @Test
    void aFreshProcessReadsCsvAndImagesWhileLibtorchLoads() throws Exception {
        Path[] in = inputs();
        for (String[] order : new String[][] {{in[0].toString(), in[1].toString()}, {in[1].toString(), in[0].toString()}}) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), InferMain.class.getName(),
                    "--model", model(), order[0], order[1])
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("no answer in 120 s: deadlocked?");
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue());
            assertEquals(4, output.lines().count(), output);
            assertTrue(output.startsWith(order[0]), output);
        }
    }

    /** bf16 and test-time augmentation change how the digits are computed, not which digits come out here. */
    @Test
    void precisionAndTtaGiveTheSameDigitsOnClearCases() throws IOException {
        Path[] in = inputs();
        assertEquals(0, run("--model", model(), in[0].toString(), in[1].toString()), stderr);
        List<String> plain = digitsOf(stdout);
        assertEquals(0, run("--model", model(), "--precision", "bf16", "--tta", in[0].toString(), in[1].toString()),
                stderr);
        assertEquals("", stderr);
        assertEquals(plain, digitsOf(stdout));
        assertEquals(0, run("--model", model(), "--precision=fp32", "--tta", in[0].toString()), stderr);
        assertEquals(plain.subList(0, 3), digitsOf(stdout));
    }

    /** Each line's input and digit, without the probability. */
    private static List<String> digitsOf(String output) {
        return output.lines().map(l -> l.substring(0, l.lastIndexOf('\t'))).toList();
    }

    @Test
    void topShowsTheThreeBest() throws IOException {
        Path[] in = inputs();
        assertEquals(0, run("--top", "3", "--model", model(), in[1].toString()), stderr);
        String line = stdout.strip();
        String[] cells = line.split("\t");
        assertEquals(7, cells.length, line);
        assertEquals(in[1].toString(), cells[0]);
        float p1 = Float.parseFloat(cells[2]);
        float p2 = Float.parseFloat(cells[4]);
        float p3 = Float.parseFloat(cells[6]);
        assertTrue(p1 >= p2 && p2 >= p3, line);
        assertEquals(3, List.of(cells[1], cells[3], cells[5]).stream().distinct().count());
    }

    @Test
    void jsonIsOneObjectPerDigit() throws IOException {
        Path[] in = inputs();
        assertEquals(0, run("--model=" + model(), "--json", in[0].toString(), in[1].toString()), stderr);
        List<String> lines = stdout.lines().toList();
        assertEquals(4, lines.size());
        Pattern object = Pattern.compile("\\{\"input\":\"([^\"]*)\"(?:,\"row\":(\\d+))?,\"digit\":(\\d),"
                + "\"probability\":([0-9.e-]+),\"probabilities\":\\[([0-9.e,-]+)]}");
        for (int i = 0; i < 4; i++) {
            Matcher m = object.matcher(lines.get(i));
            assertTrue(m.matches(), lines.get(i));
            assertEquals(i < 3 ? in[0].toString() : in[1].toString(), m.group(1));
            assertEquals(i < 3 ? String.valueOf(i + 1) : null, m.group(2));
            String[] p = m.group(5).split(",");
            assertEquals(10, p.length);
            double sum = 0;
            for (String s : p) {
                sum += Double.parseDouble(s);
            }
            assertEquals(1, sum, 1e-3);
            assertEquals(Double.parseDouble(m.group(4)), Double.parseDouble(p[Integer.parseInt(m.group(3))]));
        }
        assertTrue(lines.get(0).contains("\"digit\":7,"));
    }

    @Test
    void jsonEscapesFileNames() {
        assertEquals("{\"input\":\"a \\\"b\\\"\\\\c.png\",\"digit\":0,\"probability\":1.00000,"
                        + "\"probabilities\":[1.00000,0.00000,0.00000,0.00000,0.00000,0.00000,0.00000,0.00000,0.00000,0.00000]}",
                InferMain.json("a \"b\"\\c.png", null, new Prediction(new float[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0})));
    }

    @Test
    void helpAndVersion() {
        assertEquals(0, run("--help"));
        assertTrue(stdout.startsWith("Usage: java -jar lenet-digits-infer.jar --model FILE"), stdout);
        assertEquals(0, run("-V"));
        assertTrue(stdout.startsWith("lenet-digits-infer "), stdout);
    }

    /** Runs a command that must fail: exit 2, nothing on stdout, exactly one line on stderr; returns it. */
    private String fails(String... args) {
        assertEquals(InferMain.USER_ERROR, run(args), stdout + stderr);
        assertEquals("", stdout, "no half answer on stdout");
        List<String> lines = stderr.lines().toList();
        assertEquals(1, lines.size(), "exactly one error line, no stack trace:\n" + stderr);
        assertTrue(lines.get(0).startsWith("error: "), lines.get(0));
        return lines.get(0);
    }

    @Test
    void badFlagsAreOneLineErrors() throws IOException {
        String png = inputs()[1].toString();
        assertEquals("error: --model FILE is required (see 'lenet-digits-infer --help')", fails(png));
        assertEquals("error: no INPUT given: name one or more images or CSV files (see 'lenet-digits-infer --help')",
                fails("--model", model()));
        assertEquals("error: unknown option '--modle' (see 'lenet-digits-infer --help')", fails("--modle", model(), png));
        assertEquals("error: --top: '0' is not an integer 1-10 (see 'lenet-digits-infer --help')",
                fails("--model", model(), "--top", "0", png));
        assertEquals("error: --top: 'three' is not an integer 1-10 (see 'lenet-digits-infer --help')",
                fails("--model", model(), "--top=three", png));
        assertEquals("error: --top: needs a value (see 'lenet-digits-infer --help')", fails(png, "--model", model(), "--top"));
        assertEquals("error: --device: 'tpu' is not one of auto, cpu, cuda (see 'lenet-digits-infer --help')",
                fails("--model", model(), "--device", "tpu", png));
        assertEquals("error: --precision: 'fp16' is not one of fp32, bf16 (see 'lenet-digits-infer --help')",
                fails("--model", model(), "--precision", "fp16", png));
    }

    @Test
    void badFilesAreOneLineErrorsNamingTheFile() throws IOException {
        Path[] in = inputs();
        String csv = in[0].toString();
        String png = in[1].toString();
        Path missing = dir.resolve("missing.pt");
        assertEquals("error: " + missing + ": no such model file", fails("--model", missing.toString(), png));
        Path corrupt = Files.write(dir.resolve("corrupt.pt"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        assertTrue(fails("--model", corrupt.toString(), png).startsWith("error: " + corrupt + ": not a readable model file"));
        assertTrue(fails("--model", csv, png).startsWith("error: " + csv + ": not a lenet-digits model file"));

        assertEquals("error: " + dir.resolve("nothing.png") + ": no such file",
                fails("--model", model(), png, dir.resolve("nothing.png").toString()));
        Path blank = TestDigits.write(new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("blank.png"));
        assertTrue(fails("--model", model(), png, blank.toString()).startsWith("error: " + blank + ": no ink found (50×40 image"),
                stderr);
        Path fake = Fixtures.write(dir.resolve("fake.png"), "not really a picture\n");
        assertEquals("error: " + fake + ": not an image this tool reads (PNG, JPEG, BMP or GIF)",
                fails("--model", model(), fake.toString()));
        Path badCsv = Fixtures.write(dir.resolve("bad.csv"), "label,pixel0\n3,abc\n");
        assertTrue(fails("--model", model(), badCsv.toString()).startsWith("error: " + badCsv), stderr);
    }
}
