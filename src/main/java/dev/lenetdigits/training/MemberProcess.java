package dev.lenetdigits.training;

import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.DeviceSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One ensemble member trained in a process of its own, started by {@link MemberProcesses}: it reads the
 * manifest of the ensemble's run folder ({@link EnsembleRun}), reads the training file, makes the ensemble's
 * one split, and trains member {@code --member} into {@code member-NN/} and {@code member-NN.pt} (continuing
 * from its last checkpoint if the run was resumed), exactly as {@link EnsembleTrainer} does in one process. It prints each epoch's line, ends with exit code 0, 2 for
 * a user's error (its last line then says {@code error: ...}), and stops when the process that started it
 * is gone, so a killed {@code train} leaves no orphans (its checkpoints are safe at any moment).
 */
public final class MemberProcess {
    static final String FOLDER = "--folder";
    static final String MEMBER = "--member";
    static final String TRAIN = "--train";

    private MemberProcess() {}

    /**
     * The arguments that train member {@code member} (from 0) of the ensemble in {@code folder} on
     * {@code device} (in its precision: the run's, which a resumed run may have changed) with {@code threads}.
     */
    static List<String> arguments(Path folder, int member, Path trainingFile, int threads, ComputeDevice device) {
        List<String> arguments = new ArrayList<>(List.of(FOLDER, folder.toString(), MEMBER, Integer.toString(member),
                TRAIN, trainingFile.toString()));
        arguments.addAll(DeviceSettings.flagsFor(device, threads));
        return arguments;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            System.err.println("error: the train command that started this member is gone; stopping");
            Runtime.getRuntime().halt(3);
        }));
        try {
            Map<String, String> flags = parse(args);
            DeviceSettings settings = DeviceSettings.fromFlags(flags);
            ComputeDevice device = settings.open();
            Path folder = Path.of(flags.get(FOLDER));
            EnsembleRun.Manifest manifest = EnsembleRun.manifest(folder).orElseThrow(
                    () -> new UserException(folder + ": holds no " + EnsembleRun.MANIFEST));
            TrainingListener print = new TrainingListener() {
                @Override
                public void epochFinished(EpochResult result) {
                    System.out.println(result.format());
                    System.out.flush();
                }

                @Override
                public void note(String line) {
                    System.err.println(line);
                }
            };
            new EnsembleTrainer(manifest.options().withPrecision(settings.precision()), manifest.members(),
                    manifest.views(), device, print)
                    .in(EnsembleRun.existing(folder))
                    .trainMember(Integer.parseInt(flags.get(MEMBER)), DigitFiles.read(Path.of(flags.get(TRAIN))));
            System.exit(0);
        } catch (UserException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            flags.put(args[i], args[i + 1]);
        }
        if (flags.size() * 2 != args.length || !flags.keySet().containsAll(List.of(FOLDER, MEMBER, TRAIN))) {
            // only MemberProcesses starts this class, so a bad line is a bug, not a user's error
            throw new IllegalArgumentException("MemberProcess: unexpected arguments " + List.of(args));
        }
        return flags;
    }
}
