package dev.lenetdigits.training;

import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.DeviceRequest;
import dev.lenetdigits.device.NativeRuntime;
import dev.lenetdigits.device.Precision;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One ensemble member trained in a process of its own, started by {@link MemberProcesses}: it reads the
 * ensemble's manifest from the checkpoint folder, reads the training file, makes the ensemble's one split,
 * and trains (or resumes) member {@code --member} into {@code member-NN/} and {@code member-NN.pt}, exactly
 * as {@link EnsembleTrainer} does in one process. It prints each epoch's line, ends with exit code 0, 2 for
 * a user's error (its last line then says {@code error: ...}), and stops when the process that started it
 * is gone, so a killed {@code train} leaves no orphans (its checkpoints are safe at any moment).
 */
public final class MemberProcess {
    static final String FOLDER = "--folder";
    static final String MEMBER = "--member";
    static final String TRAIN = "--train";
    static final String THREADS = "--threads";
    static final String DEVICE = "--device";
    static final String PRECISION = "--precision";

    private MemberProcess() {}

    /** The arguments that train member {@code member} (from 0) of the ensemble in {@code folder}. */
    static List<String> arguments(Path folder, int member, Path trainingFile, int threads, ComputeDevice device) {
        return List.of(FOLDER, folder.toString(), MEMBER, Integer.toString(member), TRAIN, trainingFile.toString(),
                THREADS, Integer.toString(threads), DEVICE, device.isCuda() ? "cuda" : "cpu",
                PRECISION, device.precision().toString());
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            System.err.println("error: the train command that started this member is gone; stopping");
            Runtime.getRuntime().halt(3);
        }));
        try {
            Map<String, String> flags = parse(args);
            NativeRuntime.setThreads(Integer.parseInt(flags.get(THREADS)));
            ComputeDevice device = NativeRuntime.select(DeviceRequest.valueOf(flags.get(DEVICE).toUpperCase(Locale.ROOT)))
                    .withPrecision(Precision.parse(flags.get(PRECISION)));
            Path folder = Path.of(flags.get(FOLDER));
            EnsembleTrainer.Manifest manifest = EnsembleTrainer.manifest(folder).orElseThrow(
                    () -> new UserException(folder + ": holds no " + EnsembleTrainer.MANIFEST));
            TrainingListener printEpochs = new TrainingListener() {
                @Override
                public void epochFinished(EpochResult result) {
                    System.out.println(result.format());
                    System.out.flush();
                }
            };
            new EnsembleTrainer(manifest.options(), manifest.members(), manifest.views(), device, printEpochs)
                    .resumeFrom(folder)
                    .trainMember(Integer.parseInt(flags.get(MEMBER)), DigitFiles.read(Path.of(flags.get(TRAIN))));
            System.exit(0);
        } catch (UserException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    private static Map<String, String> parse(String[] args) {
        List<String> names = List.of(FOLDER, MEMBER, TRAIN, THREADS, DEVICE, PRECISION);
        Map<String, String> flags = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            flags.put(args[i], args[i + 1]);
        }
        List<String> missing = new ArrayList<>(names);
        missing.removeAll(flags.keySet());
        if (!missing.isEmpty() || flags.size() != names.size()) {
            // only MemberProcesses starts this class, so a bad line is a bug, not a user's error
            throw new IllegalArgumentException("MemberProcess expects " + names + ", got " + List.of(args));
        }
        return flags;
    }
}
