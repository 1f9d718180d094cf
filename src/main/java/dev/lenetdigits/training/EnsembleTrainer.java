package dev.lenetdigits.training;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.model.DigitNetwork;
import dev.lenetdigits.model.Ensemble;
import dev.lenetdigits.model.InputNormalization;
import dev.lenetdigits.model.ModelFile;
import dev.lenetdigits.model.ModelInfo;

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
 * the whole on the same validation digits, and returns them as one {@link Ensemble}.
 *
 * <p>With a checkpoint folder, training an ensemble can be killed and resumed: the folder holds
 * {@value #MANIFEST} (K and the settings), {@code member-01/} … (each a {@link Checkpoints} folder for that
 * member's epochs) and {@code member-01.pt} … (each finished member's model file). A resumed run loads the
 * finished members, resumes the unfinished one from its last checkpoint and trains the rest, ending with
 * the ensemble an uninterrupted run would have made.
 */
public final class EnsembleTrainer {
    public static final String MANIFEST = "ensemble.properties";

    private final TrainingOptions options;
    private final int members;
    private final ComputeDevice device;
    private final TrainingListener listener;
    private Path folder;
    private boolean resuming;

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

    /** K and the settings an ensemble's checkpoint folder was started with. */
    public record Manifest(int members, TrainingOptions options) {}

    public EnsembleTrainer(TrainingOptions options, int members, ComputeDevice device, TrainingListener listener) {
        if (members < 2 || members > Ensemble.MAX_MEMBERS) {
            throw new UserException("--ensemble: '" + members + "' is not an integer 2-" + Ensemble.MAX_MEMBERS);
        }
        this.options = options;
        this.members = members;
        this.device = device;
        this.listener = listener;
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

    /** The manifest of an ensemble's checkpoint folder, or empty when {@code folder} is not one. */
    public static Optional<Manifest> manifest(Path folder) {
        Path file = folder.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            return Optional.of(new Manifest(Integer.parseInt(p.getProperty("members")), TrainingOptions.fromProperties(p)));
        } catch (IOException e) {
            throw new UserException(file + ": cannot read (" + AtomicFiles.describe(e) + ")");
        } catch (RuntimeException e) {
            throw new UserException(file + ": not an ensemble manifest (" + e.getMessage() + ")");
        }
    }

    public Result train(DigitSet labelled) {
        if (!labelled.hasLabels()) {
            throw new UserException(labelled.source() + ": has no labels; training needs a labelled file");
        }
        DigitSet.Split split = labelled.split(options.valSplit(), options.seed()); // one split for all members
        if (folder != null && !resuming) {
            writeManifest(); // only now: a bad training file must not leave a started run behind
        }
        List<DigitNetwork> trained = new ArrayList<>();
        List<List<EpochResult>> history = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            System.err.printf(Locale.ROOT, "ensemble member %d/%d (seed %d)%n", i + 1, members, options.seed() + i);
            Trainer.Result member = trainMember(i, split);
            trained.add(member.network());
            history.add(member.epochs());
            if (split.validation() != null) {
                System.err.printf(Locale.ROOT, "member %d validation accuracy %.2f%%%n", i + 1,
                        100 * member.info().validationAccuracy());
            }
        }
        Ensemble ensemble = new Ensemble(trained);
        ensemble.eval();
        double accuracy = Double.NaN;
        if (split.validation() != null) {
            accuracy = Trainer.lossAndAccuracy(ensemble, InputNormalization.MNIST, split.validation().to(device), device)[1];
            System.err.printf(Locale.ROOT, "ensemble of %d: validation accuracy %.2f%%%n", members, 100 * accuracy);
        }
        return new Result(ensemble, Trainer.describe(ensemble, options, device, accuracy), history);
    }

    private void writeManifest() {
        Properties p = new Properties();
        p.setProperty("members", Integer.toString(members));
        options.putInto(p);
        AtomicFiles.write(folder.resolve(MANIFEST), tmp -> {
            try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "lenet-digits ensemble checkpoints");
            }
        });
    }

    /** Member {@code i} (from 0): trained, resumed from its checkpoint, or, when resuming, loaded if finished. */
    private Trainer.Result trainMember(int i, DigitSet.Split split) {
        Trainer trainer = new Trainer(options.withSeed(options.seed() + i), device, listener);
        if (folder == null) {
            return trainer.train(split.train(), split.validation());
        }
        String name = String.format(Locale.ROOT, "member-%02d", i + 1);
        Path finished = folder.resolve(name + ".pt");
        Checkpoints store = new Checkpoints(folder.resolve(name));
        Optional<Path> latest = resuming ? store.latest() : Optional.empty();
        if (resuming && Files.isRegularFile(finished)) {
            ModelFile.Loaded loaded = ModelFile.load(finished);
            loaded.network().to(device.torch(), false);
            System.err.println("already trained: " + finished);
            List<EpochResult> epochs = latest.map(p -> store.peek(p).history()).orElse(List.of());
            return new Trainer.Result(loaded.network(), loaded.info(), epochs);
        }
        if (latest.isPresent()) {
            System.err.println("resuming from " + latest.get());
            trainer.resumeFrom(store, latest.get());
        } else {
            trainer.checkpointInto(store);
        }
        Trainer.Result result = trainer.train(split.train(), split.validation());
        ModelFile.save(finished, result.network(), result.info());
        return result;
    }
}
