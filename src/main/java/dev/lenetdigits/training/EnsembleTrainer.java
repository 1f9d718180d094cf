package dev.lenetdigits.training;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.model.Architectures;
import dev.lenetdigits.model.DigitNetwork;
import dev.lenetdigits.model.Ensemble;
import dev.lenetdigits.model.InputNormalization;
import dev.lenetdigits.model.ModelFile;
import dev.lenetdigits.model.ModelInfo;
import org.bytedeco.pytorch.global.torch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Trains K members of one recipe with seeds seed, seed+1, … on the same training digits, measures each and
 * the whole on the same validation digits, and returns them as one {@link Ensemble}. Members may see the
 * digits through different views (plain, deskewed, width-normalised: see {@link Architectures#withView}),
 * taken in turn, so that they err on different digits.
 *
 * <p>With a checkpoint folder, training an ensemble can be killed and resumed: the folder holds
 * {@value #MANIFEST} (K and the settings), {@code member-01/} … (each a {@link Checkpoints} folder for that
 * member's epochs) and {@code member-01.pt} … (each finished member's model file). A resumed run loads the
 * finished members, resumes the unfinished one from its last checkpoint and trains the rest, ending with
 * the ensemble an uninterrupted run would have made.
 *
 * <p>With {@link #inProcesses} the members train side by side, each in a process of its own that works in
 * that same folder layout ({@link MemberProcess}); this process then loads their model files.
 */
public final class EnsembleTrainer {
    public static final String MANIFEST = "ensemble.properties";

    private final TrainingOptions options;
    private final int members;
    private final List<String> views;
    private final ComputeDevice device;
    private final TrainingListener listener;
    private Path folder;
    private boolean resuming;
    private int processes = 1;
    private Path trainingFile;

    /**
     * A trained ensemble, its model record, and each member's epochs in member order (empty for a member a
     * resumed run loaded after its checkpoints were deleted).
     */
    public record Result(Ensemble network, ModelInfo info, List<List<EpochResult>> memberEpochs) {
        /** Every member's epochs, one member after another. */
        public List<EpochResult> epochs() {
            return memberEpochs.stream().flatMap(List::stream).toList();
        }
    }

    /** K, the views and the settings (the precision among them) an ensemble's checkpoint folder was started with. */
    public record Manifest(int members, List<String> views, TrainingOptions options) {}

    /** K members that all see digits as {@code options.architecture()} says. */
    public EnsembleTrainer(TrainingOptions options, int members, ComputeDevice device, TrainingListener listener) {
        this(options, members, List.of(Architectures.viewOf(options.architecture())), device, listener);
    }

    /**
     * K members of {@code options}' network; member i sees digits through {@code views.get(i % views.size())}.
     */
    public EnsembleTrainer(TrainingOptions options, int members, List<String> views, ComputeDevice device,
                           TrainingListener listener) {
        check(options, members, views);
        String network = Architectures.networkOf(options.architecture());
        this.options = options.withArchitecture(Architectures.withView(network, views.get(0)));
        this.members = members;
        this.views = List.copyOf(views);
        this.device = device.withPrecision(options.precision());
        this.listener = listener;
    }

    /** Refuses, with the flag's name, a member count or views that an ensemble of {@code options} cannot have. */
    public static void check(TrainingOptions options, int members, List<String> views) {
        if (members < 2 || members > Ensemble.MAX_MEMBERS) {
            throw new UserException("--ensemble: '" + members + "' is not an integer 2-" + Ensemble.MAX_MEMBERS);
        }
        if (views.isEmpty() || views.size() > members) {
            throw new UserException("--view: " + views.size() + " views for " + members + " members; members take the "
                    + "views in turn, so give 1 to " + members);
        }
        String network = Architectures.networkOf(options.architecture());
        views.forEach(view -> Architectures.withView(network, view));
    }

    /** Refuses, with the flag's name, a number of member processes that makes no sense. */
    public static void checkProcesses(int count) {
        if (count < 1 || count > Ensemble.MAX_MEMBERS) {
            throw new UserException("--parallel: '" + count + "' is not an integer 1-" + Ensemble.MAX_MEMBERS);
        }
    }

    /** Writes checkpoints into {@code emptyFolder} (see the class comment); refuses a folder already in use. */
    public EnsembleTrainer checkpointInto(Path emptyFolder) {
        try (Stream<Path> files = Files.exists(emptyFolder) ? Files.list(emptyFolder) : Stream.empty()) {
            if (files.findAny().isPresent()) {
                throw new UserException(emptyFolder + ": already holds files; continue that run with --resume "
                        + emptyFolder + ", or name an empty folder");
            }
        } catch (IOException e) {
            throw new UserException(emptyFolder + ": cannot list (" + AtomicFiles.describe(e) + ")");
        }
        this.folder = emptyFolder;
        return this;
    }

    /** Continues the run whose checkpoints are in {@code folder}; build this trainer from its {@link #manifest}. */
    public EnsembleTrainer resumeFrom(Path checkpointFolder) {
        this.folder = checkpointFolder;
        this.resuming = true;
        return this;
    }

    /**
     * Trains up to {@code count} members at once, each in a process of its own ({@link MemberProcesses}) with
     * an equal share of this process's CPU threads, reading {@code file} (the digits given to {@link #train});
     * without a checkpoint folder they work in a temporary one. 1 trains the members one after another here.
     */
    public EnsembleTrainer inProcesses(int count, Path file) {
        checkProcesses(count);
        this.processes = Math.min(count, members);
        this.trainingFile = file;
        return this;
    }

    /** The manifest of an ensemble's checkpoint folder, or empty when {@code folder} is not one. */
    public static Optional<Manifest> manifest(Path folder) {
        Path file = folder.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            TrainingOptions options = TrainingOptions.fromProperties(p);
            // manifests written before views existed: every member saw digits as the first did
            String views = p.getProperty("views", Architectures.viewOf(options.architecture()));
            return Optional.of(new Manifest(Integer.parseInt(p.getProperty("members")), List.of(views.split(",")),
                    options));
        } catch (IOException e) {
            throw new UserException(file + ": cannot read (" + AtomicFiles.describe(e) + ")");
        } catch (RuntimeException e) {
            throw new UserException(file + ": not an ensemble manifest (" + e.getMessage() + ")");
        }
    }

    public Result train(DigitSet labelled) {
        DigitSet.Split split = split(labelled);
        boolean temporary = processes > 1 && folder == null; // the member processes hand their networks over in it
        if (temporary) {
            folder = createTemporaryFolder();
        }
        List<DigitNetwork> trained = new ArrayList<>();
        List<List<EpochResult>> history = new ArrayList<>();
        try {
            if (folder != null && !resuming) {
                writeManifest(); // only now: a bad training file must not leave a started run behind
            }
            if (processes > 1) {
                trainInProcesses();
            }
            for (int i = 0; i < members; i++) {
                Trainer.Result member = processes > 1 ? loadFinished(i) : trainAnnounced(i, split);
                trained.add(member.network());
                history.add(member.epochs());
                if (split.validation() != null) {
                    System.err.printf(Locale.ROOT, "member %d validation accuracy %.2f%%%n", i + 1,
                            100 * member.info().validationAccuracy());
                }
            }
        } finally {
            if (temporary) {
                deleteTree(folder);
                folder = null;
            }
        }
        Ensemble ensemble = new Ensemble(trained);
        ensemble.eval();
        double accuracy = Double.NaN;
        if (split.validation() != null) {
            accuracy = Trainer.lossAndAccuracy(ensemble, InputNormalization.MNIST, split.validation().to(device), device)[1];
            System.err.printf(Locale.ROOT, "ensemble of %d: validation accuracy %.2f%%%n", members, 100 * accuracy);
        }
        ModelInfo info = Trainer.describe(ensemble, options, accuracy);
        if (views.size() > 1) { // recorded as combine records members that differ
            info.training().remove("architecture");
            info.training().put(ModelInfo.PER_MEMBER + "architecture", String.join(",",
                    ensemble.members().stream().map(DigitNetwork::architecture).toList()));
        }
        return new Result(ensemble, info, history);
    }

    /**
     * Trains (or, resuming, continues or loads) member {@code i} (from 0) alone, on the split every member
     * shares, into the checkpoint folder: what each of {@link MemberProcesses}' processes does.
     */
    public Trainer.Result trainMember(int i, DigitSet labelled) {
        return trainAnnounced(i, split(labelled));
    }

    /** The ensemble's one split of the labelled digits: the same validation digits for every member. */
    private DigitSet.Split split(DigitSet labelled) {
        if (!labelled.hasLabels()) {
            throw new UserException(labelled.source() + ": has no labels; training needs a labelled file");
        }
        return labelled.split(options.valSplit(), options.seed());
    }

    private Trainer.Result trainAnnounced(int i, DigitSet.Split split) {
        System.err.printf(Locale.ROOT, "ensemble member %d/%d (seed %d, %s)%n", i + 1, members, options.seed() + i,
                memberOptions(i).architecture());
        return trainMember(i, split);
    }

    /** Runs the members without a model file in the folder in processes of their own, then returns. */
    private void trainInProcesses() {
        List<Integer> unfinished = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            if (!Files.isRegularFile(finishedFile(i))) {
                unfinished.add(i);
            }
        }
        if (unfinished.isEmpty()) {
            return;
        }
        // the share a member gets follows from P alone, not from how many are left: a resumed member then
        // trains with the threads it started with, and so ends as an uninterrupted run would have
        int threadsEach = Math.max(1, torch.get_num_threads() / processes);
        int atOnce = Math.min(processes, unfinished.size());
        System.err.printf(Locale.ROOT, "training %d of %d members, %d at a time, each in its own process%s%n",
                unfinished.size(), members, atOnce, device.isCuda() ? "" : " with " + threadsEach
                        + " thread" + (threadsEach == 1 ? "" : "s"));
        new MemberProcesses(atOnce, threadsEach, trainingFile, device, System.out).train(folder, unfinished);
    }

    /** Member {@code i}'s settings (from 0): its own seed and view. */
    private TrainingOptions memberOptions(int i) {
        String network = Architectures.networkOf(options.architecture());
        return options.withSeed(options.seed() + i)
                .withArchitecture(Architectures.withView(network, views.get(i % views.size())));
    }

    private void writeManifest() {
        Properties p = new Properties();
        p.setProperty("members", Integer.toString(members));
        p.setProperty("views", String.join(",", views));
        options.putInto(p);
        AtomicFiles.write(folder.resolve(MANIFEST), tmp -> {
            try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "lenet-digits ensemble checkpoints");
            }
        });
    }

    /** Member {@code i} (from 0): trained, resumed from its checkpoint, or, when resuming, loaded if finished. */
    private Trainer.Result trainMember(int i, DigitSet.Split split) {
        Trainer trainer = new Trainer(memberOptions(i), device, listener);
        if (folder == null) {
            return trainer.train(split.train(), split.validation());
        }
        Checkpoints store = memberCheckpoints(i);
        Optional<Path> latest = resuming ? store.latest() : Optional.empty();
        if (resuming && Files.isRegularFile(finishedFile(i))) {
            System.err.println("already trained: " + finishedFile(i));
            return loadFinished(i);
        }
        if (latest.isPresent()) {
            System.err.println("resuming from " + latest.get());
            trainer.resumeFrom(store, latest.get());
        } else {
            trainer.checkpointInto(store);
        }
        Trainer.Result result = trainer.train(split.train(), split.validation());
        ModelFile.save(finishedFile(i), result.network(), result.info());
        return result;
    }

    /** Member {@code i}'s model file in the folder, with the epochs its checkpoints still record. */
    private Trainer.Result loadFinished(int i) {
        ModelFile.Loaded loaded = ModelFile.load(finishedFile(i));
        loaded.network().to(device.torch(), false);
        Checkpoints store = memberCheckpoints(i);
        List<EpochResult> epochs = store.latest().map(p -> store.peek(p).history()).orElse(List.of());
        return new Trainer.Result(loaded.network(), loaded.info(), epochs);
    }

    private Path finishedFile(int i) {
        return folder.resolve(memberName(i) + ".pt");
    }

    private Checkpoints memberCheckpoints(int i) {
        return new Checkpoints(folder.resolve(memberName(i)));
    }

    private static String memberName(int i) {
        return String.format(Locale.ROOT, "member-%02d", i + 1);
    }

    private static Path createTemporaryFolder() {
        try {
            return Files.createTempDirectory("lenet-digits-ensemble-");
        } catch (IOException e) {
            throw new UserException("cannot create a temporary folder for the member processes ("
                    + AtomicFiles.describe(e) + "); name one with --checkpoint-dir");
        }
    }

    /** Best effort: what is left in the temporary folder is only litter. */
    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not delete the temporary folder " + root + " (" + AtomicFiles.describe(e) + ")");
        }
    }
}
