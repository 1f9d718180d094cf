package dev.lenetdigits.cli;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.KaggleLayoutSplit;
import dev.lenetdigits.model.ModelFile;
import dev.lenetdigits.training.Recipe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's contract: exit codes, one-line errors, and the files it writes. */
class CliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The error line (log lines such as "INFO device: ..." may come before it). */
    private String errorLine() {
        List<String> lines = stderr().lines().filter(l -> !l.startsWith("INFO ")).toList();
        assertEquals(1, lines.size(), "exactly one error line, no stack trace:\n" + stderr());
        return lines.get(0);
    }

    @Test
    void trainPredictEvaluateRoundTrip() throws Exception {
        Path model = dir.resolve("m.pt");
        Path submission = dir.resolve("submission.csv");
        assertEquals(0, run("train", "--train", Fixtures.kaggleTrain().toString(), "--model", model.toString(),
                "--epochs", "2", "--batch-size", "32", "--threads", "2", "--device", "cpu"), stderr());
        assertTrue(stdout().contains("epoch 2/2  train loss"), stdout());
        assertTrue(stdout().contains("val loss"), stdout());
        assertTrue(Files.size(model) > 1_000_000);

        assertEquals(0, run("predict", "--model", model.toString(), "--input", Fixtures.kaggleTest().toString(),
                "--out", submission.toString()), stderr());
        List<String> lines = Files.readAllLines(submission);
        assertEquals(101, lines.size());
        assertEquals("ImageId,Label", lines.get(0));
        for (int i = 1; i <= 100; i++) {
            assertTrue(lines.get(i).matches(i + ",[0-9]"), lines.get(i));
        }

        // a labelled file is accepted too, its labels ignored
        assertEquals(0, run("predict", "--model", model.toString(), "--input", Fixtures.kaggleTrain().toString(),
                "--out", submission.toString()), stderr());
        assertEquals(301, Files.readAllLines(submission).size());

        assertTrue(Files.isRegularFile(dir.resolve("m.pt.curves.png")), "training curves beside the model");
        Path errors = dir.resolve("errors.png");
        assertEquals(0, run("evaluate", "--model", model.toString(), "--input", Fixtures.kaggleTrain().toString(),
                "--errors", errors.toString()));
        assertTrue(ImageIO.read(errors.toFile()).getWidth() > 0);
        assertTrue(stdout().startsWith("accuracy "), stdout());
        assertTrue(stdout().contains("digit  precision  recall"));
        assertTrue(stdout().contains("confusion (rows: true digit, columns: predicted)"));
        assertEquals(10 + 1 + 10 + 1 + 1 + 1 + 1 + 1, stdout().lines().count());
    }

    /** bf16 is a device flag, not a training option: a resume must still go on in it unless told otherwise. */
    @Test
    void resumeGoesOnInThePrecisionTheRunStartedWith() throws Exception {
        String train = Fixtures.kaggleTrain().toString();
        Path single = dir.resolve("single-ckpt");
        assertEquals(0, run("train", "--train", train, "--model", dir.resolve("a.pt").toString(), "--epochs", "1",
                "--batch-size", "64", "--precision", "bf16", "--device", "cpu", "--checkpoint-dir", single.toString()),
                stderr());
        assertEquals(0, run("train", "--train", train, "--model", dir.resolve("b.pt").toString(), "--resume",
                single.toString(), "--device", "cpu"), stderr());
        assertEquals("bf16", precisionOf(dir.resolve("b.pt")));
        assertEquals(0, run("train", "--train", train, "--model", dir.resolve("c.pt").toString(), "--resume",
                single.toString(), "--device", "cpu", "--precision", "fp32"), stderr());
        assertTrue(stderr().contains("resuming with --precision fp32; the run started with bf16\n"), stderr());
        assertEquals("fp32", precisionOf(dir.resolve("c.pt")));

        Path ensemble = dir.resolve("ensemble-ckpt");
        assertEquals(0, run("train", "--train", train, "--model", dir.resolve("d.pt").toString(), "--ensemble", "2",
                "--epochs", "1", "--batch-size", "64", "--precision", "bf16", "--device", "cpu",
                "--checkpoint-dir", ensemble.toString()), stderr());
        Files.delete(ensemble.resolve("member-02.pt")); // so that member 2 comes back from its checkpoint
        assertEquals(0, run("train", "--train", train, "--model", dir.resolve("e.pt").toString(), "--resume",
                ensemble.toString(), "--device", "cpu"), stderr());
        assertEquals("bf16", precisionOf(dir.resolve("e.pt")));
    }

    /** The precision a model file says it was trained in (fp32 files say nothing). */
    private static String precisionOf(Path model) {
        return ModelFile.load(model).info().training().getOrDefault("precision", "fp32");
    }

    @Test
    void kaggleFlowWithAnEnsemble() throws Exception {
        // Kaggle's layout from labelled digits, then train → predict → score as on the leaderboard
        KaggleLayoutSplit.write(dir, 100, 1, DigitFiles.read(Fixtures.kaggleTrain()));
        Path model = dir.resolve("ensemble.pt");
        Path submission = dir.resolve("submission.csv");
        assertEquals(0, run("train", "--train", dir.resolve("train.csv").toString(), "--model", model.toString(),
                "--ensemble", "2", "--epochs", "1", "--batch-size", "32", "--threads", "2", "--device", "cpu"), stderr());
        assertEquals(0, run("predict", "--model", model.toString(), "--input", dir.resolve("test.csv").toString(),
                "--out", submission.toString()), stderr());
        assertEquals(0, run("score", "--submission", submission.toString(), "--answers",
                dir.resolve("answers.csv").toString()), stderr());
        Matcher m = Pattern.compile("score (\\S+) \\((\\d+) of 100 correct\\)\\n"
                + "on a random 25% of the rows \\(25\\): 90% of 10000 draws score \\S+ to \\S+\\n").matcher(stdout());
        assertTrue(m.matches(), stdout());
        assertEquals(Integer.parseInt(m.group(2)) / 100.0, Double.parseDouble(m.group(1)), 1e-9);

        assertEquals(0, run("evaluate", "--model", model.toString(), "--input", Fixtures.kaggleTrain().toString(),
                "--members"), stderr());
        assertTrue(stdout().contains("\nmember 1 (lenet, seed 1): accuracy "), stdout());
        assertTrue(stdout().contains("\nmember 2 (lenet, seed 2): accuracy "), stdout());
        assertEquals(0, run("evaluate", "--model", model.toString(), "--input", Fixtures.kaggleTrain().toString(),
                "--tta"), stderr());
        assertTrue(stdout().startsWith("accuracy "), stdout());

        // an ensemble with checkpoints, resumed after its last member's model file was lost
        Path ckpt = dir.resolve("ckpt");
        Path checkpointed = dir.resolve("checkpointed.pt");
        assertEquals(0, run("train", "--train", dir.resolve("train.csv").toString(), "--model", checkpointed.toString(),
                "--ensemble", "2", "--epochs", "1", "--batch-size", "32", "--threads", "2", "--device", "cpu",
                "--checkpoint-dir", ckpt.toString()), stderr());
        Files.delete(ckpt.resolve("member-02.pt"));
        assertEquals(0, run("train", "--train", dir.resolve("train.csv").toString(), "--model", checkpointed.toString(),
                "--resume", ckpt.toString(), "--threads", "2", "--device", "cpu"), stderr());
        assertTrue(stderr().contains("resuming the ensemble of 2 in " + ckpt), stderr());
        assertTrue(stderr().contains("already trained: " + ckpt.resolve("member-01.pt")), stderr());
        assertTrue(stdout().contains("ensemble of 2 written to " + checkpointed), stdout());
        assertEquals(2, run("train", "--train", dir.resolve("train.csv").toString(), "--model", checkpointed.toString(),
                "--ensemble", "2", "--checkpoint-dir", ckpt.toString()));
        assertTrue(errorLine().endsWith(ckpt + ": already holds files; continue that run with --resume " + ckpt
                + ", or name an empty folder"), stderr());

        // members in processes of their own: each one's lines come back prefixed with it
        Path parallel = dir.resolve("parallel.pt");
        assertEquals(0, run("train", "--train", dir.resolve("train.csv").toString(), "--model", parallel.toString(),
                "--ensemble", "2", "--parallel", "2", "--epochs", "1", "--batch-size", "32", "--threads", "2",
                "--device", "cpu"), stderr());
        assertTrue(stderr().contains("training 2 of 2 members, 2 at a time, each in its own process with 1 thread\n"),
                stderr());
        assertTrue(stdout().contains("member 01: epoch 1/1 ") && stdout().contains("member 02: epoch 1/1 "), stdout());
        assertTrue(stdout().contains("ensemble of 2 written to " + parallel), stdout());
        assertEquals(0, run("evaluate", "--model", parallel.toString(), "--input", Fixtures.kaggleTrain().toString(),
                "--members"), stderr());
        assertTrue(stdout().contains("\nmember 2 (lenet, seed 2): accuracy "), stdout());

        Path single = dir.resolve("single.pt");
        assertEquals(0, run("train", "--train", dir.resolve("train.csv").toString(), "--model", single.toString(),
                "--epochs", "1", "--threads", "2", "--device", "cpu"), stderr());
        assertEquals(2, run("evaluate", "--model", single.toString(), "--input", Fixtures.kaggleTrain().toString(),
                "--members"));
        assertTrue(errorLine().endsWith("single.pt: holds a single lenet network; --members needs a model trained "
                + "with --ensemble K"), stderr());

        // combine: an ensemble re-written alone predicts exactly as before; a single network joins it as a member
        Path same = dir.resolve("same.pt");
        assertEquals(0, run("combine", "--out", same.toString(), model.toString()), stderr());
        Path again = dir.resolve("again.csv");
        assertEquals(0, run("predict", "--model", same.toString(), "--input", dir.resolve("test.csv").toString(),
                "--out", again.toString()), stderr());
        assertEquals(Files.readAllLines(submission), Files.readAllLines(again));
        Path three = dir.resolve("three.pt");
        assertEquals(0, run("combine", "--out", three.toString(), model.toString(), single.toString()), stderr());
        assertEquals("3 members (ensemble-3:lenet) written to " + three + "\n", stdout());
        assertEquals(0, run("evaluate", "--model", three.toString(), "--input", Fixtures.kaggleTrain().toString(),
                "--members"), stderr());
        assertTrue(stdout().contains("\nmember 2 (lenet, seed 2): accuracy "), stdout());
        assertTrue(stdout().contains("\nmember 3 (lenet, seed 1): accuracy "), stdout());
        // the two files trained with different batch sizes: the record says which member used which
        Map<String, String> record = ModelFile.load(three).info().training();
        assertEquals("32,32,64", record.get("members.batch-size"), record.toString());
        assertFalse(record.containsKey("batch-size"), record.toString());
        assertEquals("1", record.get("epochs"));
        assertEquals("1,2,1", record.get("member-seeds"));
        // combining a combined file again keeps each member's own settings
        Path four = dir.resolve("four.pt");
        assertEquals(0, run("combine", "--out", four.toString(), single.toString(), three.toString()), stderr());
        record = ModelFile.load(four).info().training();
        assertEquals("64,32,32,64", record.get("members.batch-size"), record.toString());
        assertEquals("1,1,2,1", record.get("member-seeds"));
        // networks of different architectures join as well; the record says which member is which
        Path deep = dir.resolve("deep.pt");
        assertEquals(0, run("train", "--train", dir.resolve("train.csv").toString(), "--model", deep.toString(),
                "--recipe", "lenet-deep", "--epochs", "1", "--threads", "2", "--device", "cpu"), stderr());
        Path mixed = dir.resolve("mixed.pt");
        assertEquals(0, run("combine", "--out", mixed.toString(), single.toString(), deep.toString()), stderr());
        assertEquals("2 members (ensemble-2:lenet*1,lenet-deep*1) written to " + mixed + "\n", stdout());
        record = ModelFile.load(mixed).info().training();
        assertEquals("lenet,lenet-deep", record.get("members.architecture"), record.toString());
        Path mixedCsv = dir.resolve("mixed.csv");
        assertEquals(0, run("predict", "--model", mixed.toString(), "--input", dir.resolve("test.csv").toString(),
                "--out", mixedCsv.toString()), stderr());
        assertEquals(Files.readAllLines(submission).size(), Files.readAllLines(mixedCsv).size());
        assertEquals(0, run("evaluate", "--model", mixed.toString(), "--input", Fixtures.kaggleTrain().toString(),
                "--members"), stderr());
        assertTrue(stdout().contains("\nmember 2 (lenet-deep, seed 1): accuracy "), stdout());
        // --view deskew makes a member that sees deskewed digits; it joins plain members like any other network
        Path deskewed = dir.resolve("deskewed.pt");
        assertEquals(0, run("train", "--train", dir.resolve("train.csv").toString(), "--model", deskewed.toString(),
                "--view", "deskew", "--epochs", "1", "--threads", "2", "--device", "cpu"), stderr());
        assertEquals("lenet+deskew", ModelFile.load(deskewed).info().architecture());
        Path plainAndDeskewed = dir.resolve("plain-and-deskewed.pt");
        assertEquals(0, run("combine", "--out", plainAndDeskewed.toString(), single.toString(), deskewed.toString()),
                stderr());
        assertEquals(0, run("evaluate", "--model", plainAndDeskewed.toString(), "--input",
                Fixtures.kaggleTrain().toString(), "--members"), stderr());
        assertTrue(stdout().contains("\nmember 2 (lenet+deskew, seed 1): accuracy "), stdout());
        assertEquals(2, run("combine", "--out", dir.resolve("one.pt").toString(), single.toString()));
        assertTrue(errorLine().endsWith("single.pt: holds a single network; combine needs two or more"), stderr());
        assertFalse(Files.exists(dir.resolve("one.pt")));
        List<String> tooMany = new ArrayList<>(List.of("combine", "--out", dir.resolve("many.pt").toString()));
        for (int i = 0; i < 51; i++) {
            tooMany.add(model.toString()); // 51 files of 2 members
        }
        assertEquals(2, run(tooMany.toArray(String[]::new)));
        assertEquals("error: these files hold 102 networks together; an ensemble holds at most 100", errorLine());
        assertFalse(Files.exists(dir.resolve("many.pt")));

        assertEquals(2, run("score", "--submission", dir.resolve("train.csv").toString(), "--answers",
                dir.resolve("answers.csv").toString()));
        assertTrue(errorLine().endsWith("train.csv: line 1: the header is not 'ImageId,Label'"), stderr());
        assertEquals(2, run("score", "--submission", submission.toString(), "--answers",
                dir.resolve("answers.csv").toString(), "--public-share", "2"));
        assertEquals("error: --public-share: '2.0' is not a number in [0, 1]", errorLine());
    }

    @Test
    void badFlagsAreOneLineAndExitCode2() {
        String train = Fixtures.kaggleTrain().toString();
        String model = dir.resolve("m.pt").toString();
        assertEquals(2, run("train", "--train", train, "--model", model, "--epochs", "many"));
        assertEquals("train: Invalid value for option '--epochs': 'many' is not an int (see 'lenet-digits train --help')",
                errorLine());
        assertEquals(2, run("train", "--train", train, "--model", model, "--epochs", "0"));
        assertEquals("error: --epochs: '0' is not an integer 1-10000", errorLine());
        assertEquals(2, run("train", "--train", train, "--model", model, "--device", "tpu"));
        assertTrue(errorLine().contains("'--device': expected one of [AUTO, CPU, CUDA]"));
        assertEquals(2, run("train", "--train", train, "--model", model, "--precision", "fp16"));
        assertTrue(errorLine().contains("'--precision': expected one of [FP32, BF16]"), errorLine());
        assertEquals(2, run("train", "--model", model));
        assertTrue(errorLine().contains("Missing required option: '--train=FILE'"));
        assertEquals(2, run("train", "--trian", train, "--model", model));
        assertEquals("train: Unknown option: '--trian'; did you mean --train? (see 'lenet-digits train --help')",
                errorLine(), "a misspelt flag is named, not reported as the required flag it hides");
        assertEquals(2, run("train", "--train", train, "--model", model, "--epoch", "3"));
        assertTrue(errorLine().startsWith("train: Unknown option: '--epoch'; did you mean --epochs"), errorLine());
        assertEquals(2, run("trian"));
        assertTrue(errorLine().contains("'trian'; did you mean train?"), errorLine());
        assertEquals(2, run("frobnicate"));
        assertFalse(errorLine().contains("did you mean"), "no guess that shares nothing with the word: " + errorLine());
        assertEquals(2, run());
        assertEquals(2, run("train", "--train", train, "--model", model, "--threads", "-3"));
        assertEquals("error: --threads: '-3' is not an integer 0-1024", errorLine());
        assertEquals(2, run("train", "--train", train, "--model", model, "--elastic-alpha", "34"));
        assertEquals("error: --elastic-alpha: '34.0' needs augmentation, which is off in recipe lenet (add --augment)",
                errorLine());
        assertEquals(2, run("train", "--train", train, "--model", model, "--recipe", "lenet-plus", "--no-augment",
                "--shift", "3"));
        assertEquals("error: --shift: '3.0' needs augmentation, which is off (--no-augment)", errorLine());
        assertEquals(2, run("train", "--train", train, "--model", model, "--augment", "--rotate", "200"));
        assertEquals("error: --rotate: '200.0' is not a number of degrees in [0, 180]", errorLine());
        assertEquals(2, run("train", "--train", train, "--model", model, "--augment", "--zoom", "NaN"));
        assertEquals("error: --zoom: 'NaN' is not a number in [0, 0.5]", errorLine());
        assertEquals(2, run("train", "--train", train, "--model", model, "--label-smoothing", "1"));
        assertEquals("error: --label-smoothing: '1.0' is not a number in [0, 1)", errorLine());
        assertEquals(2, run("train", "--train", train, "--model", model, "--view", "width3"));
        assertEquals("error: --view: 'width3' is not plain, deskew or widthN with N 4-28", errorLine());
        assertEquals(2, run("train", "--train", train, "--model", model, "--view", "plain,deskew"));
        assertEquals("error: --view: one network sees digits one way; several views are for --ensemble K, whose members "
                + "take them in turn", errorLine());
        assertEquals(2, run("train", "--train", train, "--model", model, "--ensemble", "2", "--view", "plain,deskew,width14"));
        assertEquals("error: --view: 3 views for 2 members; members take the views in turn, so give 1 to 2", errorLine());
        assertEquals(2, run("train", "--train", train, "--model", model, "--parallel", "2"));
        assertEquals("error: --parallel: trains ensemble members at once; a single network runs in one process (use "
                + "--threads for its threads, or --ensemble K for members)", errorLine());
        assertEquals(2, run("train", "--train", train, "--model", model, "--ensemble", "2", "--parallel", "0"));
        assertEquals("error: --parallel: '0' is not an integer 1-100", errorLine());
        assertFalse(Files.exists(dir.resolve("m.pt")));
        assertEquals(2, run("bench", "--recipe", "resnet", "--dir", dir.toString()));
        assertEquals("error: --recipe: 'resnet' is not one of [lenet, lenet-plus, lenet-deep]", errorLine());
        assertFalse(Files.exists(dir.resolve("mnist")), "refused before fetching anything");
    }

    @Test
    void kagglesZipIsReadAsDownloaded() throws Exception {
        Path zip = dir.resolve("digit-recognizer.zip");
        try (var z = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (var entry : Map.of("train.csv", Fixtures.kaggleTrain(), "test.csv", Fixtures.kaggleTest())
                    .entrySet()) {
                z.putNextEntry(new ZipEntry(entry.getKey()));
                Files.copy(entry.getValue(), z);
                z.closeEntry();
            }
        }
        Path model = dir.resolve("m.pt");
        Path submission = dir.resolve("submission.csv");
        assertEquals(0, run("train", "--train", zip.toString(), "--model", model.toString(), "--epochs", "1",
                "--device", "cpu"), stderr());
        assertTrue(stderr().contains("training on 270 digits from " + zip + "!train.csv"), stderr());
        assertEquals(0, run("predict", "--model", model.toString(), "--input", zip.toString(), "--out",
                submission.toString()), stderr());
        assertEquals(101, Files.readAllLines(submission).size(), "test.csv's 100 digits and the header");
        assertEquals(0, run("evaluate", "--model", model.toString(), "--input", zip.toString()), stderr());
        assertTrue(stdout().startsWith("accuracy "), stdout());

        // a model file is a zip too; given as input it is named for what it is, not misread
        Files.delete(submission);
        assertEquals(2, run("predict", "--model", model.toString(), "--input", model.toString(), "--out",
                submission.toString()));
        assertEquals("error: " + model + ": is a model file, not a file of digits", errorLine());
        assertFalse(Files.exists(submission));
    }

    @Test
    void cudaWithoutAGpuIsAClearError() {
        assertEquals(2, run("train", "--train", Fixtures.kaggleTrain().toString(), "--model",
                dir.resolve("m.pt").toString(), "--device", "cuda"));
        assertTrue(errorLine().startsWith("error: --device cuda: "), stderr());
    }

    @Test
    void deviceTellsWhatTheJarCarriesAndWhyCudaIsNotUsed() {
        assertEquals(0, run("device"), stderr());
        List<String> lines = stdout().lines().toList();
        assertEquals(4, lines.size(), stdout());
        assertEquals("natives: linux-x86_64 (CPU build)", lines.get(0));
        assertTrue(lines.get(1).startsWith("cuda: not usable: this build carries libtorch's CPU natives only; build the "
                + "GPU jar with 'mvn package -Pgpu'"), lines.get(1));
        assertTrue(lines.get(2).startsWith("device: cpu ("), lines.get(2));
        assertTrue(lines.get(3).startsWith("cpu: "), lines.get(3));
        assertFalse(stderr().contains("WARN"), "a CPU build running on the CPU is as expected: " + stderr());

        assertEquals(2, run("device", "--device", "cuda"));
        assertTrue(errorLine().startsWith("error: --device cuda: this build carries libtorch's CPU natives only"), stderr());
    }

    @Test
    void badFilesAreOneLineAndLeaveNoOutput() {
        Path out = dir.resolve("submission.csv");
        Path bogusModel = Fixtures.write(dir.resolve("model.pt"), "not a model");
        assertEquals(2, run("predict", "--model", bogusModel.toString(), "--input", Fixtures.kaggleTest().toString(),
                "--out", out.toString()));
        assertTrue(errorLine().endsWith("model.pt: not a lenet-digits model file (not a libtorch archive)"), stderr());
        assertFalse(Files.exists(out));

        assertEquals(2, run("train", "--train", dir.resolve("missing.csv").toString(), "--model",
                dir.resolve("m.pt").toString()));
        assertTrue(errorLine().endsWith("missing.csv: no such file"), stderr());
        assertFalse(Files.exists(dir.resolve("m.pt")));

        Path input = Fixtures.kaggleTest();
        assertEquals(2, run("predict", "--model", bogusModel.toString(), "--input", input.toString(),
                "--out", input.toString()));
        assertTrue(errorLine().contains("is also the input"), stderr());
    }

    @Test
    void helpAndVersionExitZero() {
        for (String command : new String[] {"fetch", "train", "predict", "evaluate", "combine", "score", "kaggle-split",
                "quickstart", "bench", "device"}) {
            assertEquals(0, run(command, "--help"), command);
            assertTrue(stdout().contains("Usage: lenet-digits " + command), stdout());
        }
        assertEquals(0, run("--version"));
    }

    /** The training flags' help gives each recipe's defaults as the recipes have them. */
    @Test
    void helpShowsTheRecipesOwnDefaults() {
        assertEquals(0, run("train", "--help"));
        String help = stdout().replaceAll("\\s+", " ");
        int plusEpochs = Recipe.LENET_PLUS.defaults().epochs();
        assertTrue(help.contains("Passes over the training digits (lenet: "
                + Recipe.LENET.defaults().epochs() + ", lenet-plus and lenet-deep: " + plusEpochs
                + ")."), help);
        assertTrue(help.contains("L2 penalty (lenet: 0, lenet-plus and lenet-deep: 0.0005)."), help);
        assertTrue(help.contains("SGD momentum (default: 0.9)."), help);
    }
}
