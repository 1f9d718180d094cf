package dev.lenetdigits.training;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.model.Architectures;
import dev.lenetdigits.model.DigitNetwork;
import dev.lenetdigits.model.Ensemble;
import dev.lenetdigits.model.EnsembleRecord;
import dev.lenetdigits.model.InputNormalization;
import dev.lenetdigits.model.ModelFile;
import dev.lenetdigits.model.ModelInfo;
import org.bytedeco.pytorch.global.torch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Trains K members of one recipe with seeds seed, seed+1, … on the same training digits, measures each and
 * the whole on the same validation digits, and returns them as one {@link Ensemble}. Members may see the
 * digits through different views (plain, deskewed, width-normalised: see {@link Architectures#withView}),
 * taken in turn, so that they err on different digits.
 *
 * <p>With a run folder ({@link EnsembleRun}: {@link #checkpointInto}, {@link #resumeFrom}) each member
 * continues from what the folder holds for it: its model file if it finished, else its last checkpoint,
 * else nothing. With {@link #inProcesses} the members train side by side, each in a process of its own
 * ({@link MemberProcesses}) working in that folder; this process then loads their model files.
 */
public final class EnsembleTrainer {
    private final TrainingOptions options;
    private final int members;
    private final List<String> views;
    private final ComputeDevice device;
    private final TrainingListener listener;
    private EnsembleRun run;
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

    /** Starts a run in {@code emptyFolder} (see {@link EnsembleRun}); refuses a folder already in use. */
    public EnsembleTrainer checkpointInto(Path emptyFolder) {
        return in(EnsembleRun.create(emptyFolder));
    }

    /** Continues the run in {@code folder}; build this trainer from its {@link EnsembleRun#manifest}. */
    public EnsembleTrainer resumeFrom(Path folder) {
        return in(EnsembleRun.existing(folder));
    }

    /** Works in {@code run}'s folder. */
    EnsembleTrainer in(EnsembleRun run) {
        this.run = run;
        return this;
    }

    /**
     * Trains up to {@code count} members at once, each in a process of its own ({@link MemberProcesses}) with
     * an equal share of this process's CPU threads, reading {@code file} (the digits given to {@link #train});
     * without a run folder they work in a temporary one. 1 trains the members one after another here.
     */
    public EnsembleTrainer inProcesses(int count, Path file) {
        checkProcesses(count);
        this.processes = Math.min(count, members);
        this.trainingFile = file;
        return this;
    }

    public Result train(DigitSet labeled) {
        DigitSet.Split split = split(labeled);
        if (processes > 1 && run == null) {
            run = EnsembleRun.temporary(); // the member processes hand their networks over in it
        }
        List<DigitNetwork> trained = new ArrayList<>();
        List<List<EpochResult>> history = new ArrayList<>();
        try {
            if (run != null && !run.isStarted()) {
                run.start(new EnsembleRun.Manifest(members, views, options));
            }
            if (processes > 1) {
                trainInProcesses();
            }
            for (int i = 0; i < members; i++) {
                Trainer.Result member = processes > 1 ? loadFinished(i) : trainAnnounced(i, split);
                trained.add(member.network());
                history.add(member.epochs());
                if (split.validation() != null) {
                    listener.note(String.format(Locale.ROOT, "member %d validation accuracy %.2f%%", i + 1,
                            100 * member.info().validationAccuracy()));
                }
            }
        } finally {
            deleteIfTemporary();
        }
        Ensemble ensemble = new Ensemble(trained);
        ensemble.eval();
        double accuracy = Double.NaN;
        if (split.validation() != null) {
            accuracy = Trainer.lossAndAccuracy(ensemble, InputNormalization.MNIST, split.validation().to(device), device)[1];
            listener.note(String.format(Locale.ROOT, "ensemble of %d: validation accuracy %.2f%%", members,
                    100 * accuracy));
        }
        return new Result(ensemble, describe(ensemble, accuracy), history);
    }

    /**
     * Trains member {@code i} (from 0) alone in the run folder, on the split every member shares, continuing
     * from what the folder holds for it: what each of {@link MemberProcesses}' processes does.
     */
    public Trainer.Result trainMember(int i, DigitSet labeled) {
        return trainAnnounced(i, split(labeled));
    }

    /** The ensemble's one split of the labelled digits: the same validation digits for every member. */
    private DigitSet.Split split(DigitSet labeled) {
        return labeled.requireLabels("; training needs a labelled file").split(options.valSplit(), options.seed());
    }

    private Trainer.Result trainAnnounced(int i, DigitSet.Split split) {
        listener.note(String.format(Locale.ROOT, "ensemble member %d/%d (seed %d, %s)", i + 1, members,
                options.seed() + i, memberOptions(i).architecture()));
        return trainMember(i, split);
    }

    /** Member {@code i} (from 0): loaded if it finished, else continued from its last checkpoint, else trained. */
    private Trainer.Result trainMember(int i, DigitSet.Split split) {
        Trainer trainer = new Trainer(memberOptions(i), device, listener);
        if (run == null) {
            return trainer.train(split.train(), split.validation());
        }
        if (run.isFinished(i)) {
            listener.note("already trained: " + run.memberFile(i));
            return loadFinished(i);
        }
        Checkpoints store = run.memberCheckpoints(i);
        Optional<Path> latest = store.latest();
        if (latest.isPresent()) {
            listener.note("resuming from " + latest.get());
            trainer.resumeFrom(store, latest.get());
        } else {
            trainer.checkpointInto(store);
        }
        Trainer.Result result = trainer.train(split.train(), split.validation());
        ModelFile.save(run.memberFile(i), result.network(), result.info());
        return result;
    }

    /** Runs the members without a model file in the folder in processes of their own, then returns. */
    private void trainInProcesses() {
        List<Integer> unfinished = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            if (!run.isFinished(i)) {
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
        listener.note(String.format(Locale.ROOT, "training %d of %d members, %d at a time, each in its own process%s",
                unfinished.size(), members, atOnce, device.isCuda() ? "" : " with " + threadsEach
                        + " thread" + (threadsEach == 1 ? "" : "s")));
        new MemberProcesses(atOnce, threadsEach, trainingFile, device, listener).train(run.folder(), unfinished);
    }

    /** Member {@code i}'s settings (from 0): its own seed and view. */
    private TrainingOptions memberOptions(int i) {
        String network = Architectures.networkOf(options.architecture());
        return options.withSeed(options.seed() + i)
                .withArchitecture(Architectures.withView(network, views.get(i % views.size())));
    }

    /** The model record: the settings the members share once, those they differ in (their views) per member. */
    private ModelInfo describe(Ensemble ensemble, double validationAccuracy) {
        List<Map<String, String>> memberSettings = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            Map<String, String> settings = memberOptions(i).asMap();
            settings.remove("seed");
            memberSettings.add(settings);
        }
        return new ModelInfo(ensemble.architecture(), InputNormalization.MNIST, DigitSet.CLASSES, validationAccuracy,
                EnsembleRecord.of(memberSettings, Long.toString(options.seed())));
    }

    /** Member {@code i}'s model file in the folder, with the epochs its checkpoints still record. */
    private Trainer.Result loadFinished(int i) {
        ModelFile.Loaded loaded = ModelFile.load(run.memberFile(i));
        loaded.network().to(device.torch(), false);
        Checkpoints store = run.memberCheckpoints(i);
        List<EpochResult> epochs = store.latest().map(p -> store.peek(p).history()).orElse(List.of());
        return new Trainer.Result(loaded.network(), loaded.info(), epochs);
    }

    /** Best effort: what is left in the temporary folder is only litter. */
    private void deleteIfTemporary() {
        if (run == null || !run.isTemporary()) {
            return;
        }
        try {
            run.delete();
        } catch (IOException e) {
            listener.note("could not delete the temporary folder " + run.folder() + " (" + AtomicFiles.describe(e) + ")");
        }
        run = null;
    }
}
