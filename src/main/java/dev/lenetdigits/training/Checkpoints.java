package dev.lenetdigits.training;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.UserException;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.model.DigitNetwork;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A folder of per-epoch checkpoints: {@code epoch-0003.ckpt} is one libtorch archive holding the network,
 * the optimizer's state, the CPU random generator's state and a metadata entry (epoch, training settings, the figures of every epoch so far); {@code epoch-0003.ckpt.sha256} beside it is its
 * checksum. Both are written atomically, the checksum last, so a checkpoint counts only once it is whole:
 * a kill at any moment leaves the previous checkpoint or the new one valid. The last two are kept.
 */
public final class Checkpoints {
    private static final String SUFFIX = ".ckpt";
    private static final String SUM_SUFFIX = ".sha256";
    private static final int KEEP = 2;

    private final Path folder;

    public Checkpoints(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /**
     * What a checkpoint restores besides the network and optimizer: the run's settings (its precision among
     * them, so that a resume goes on in it), every epoch's figures so far, and {@code bestWeights}: with
     * {@code --restore-best}, the kept copy of the best epoch's weights, in the network's state order (empty
     * otherwise, and from {@link #peek}).
     */
    public record State(int epoch, TrainingOptions options, List<EpochResult> history, List<Tensor> bestWeights) {
        public State(int epoch, TrainingOptions options, List<EpochResult> history) {
            this(epoch, options, history, List.of());
        }
    }

    /** Writes the checkpoint after {@code state.epoch()} and drops all but the newest {@value #KEEP}. */
    public void save(State state, DigitNetwork network, Optimizer optimizer) {
        removeLeftovers();
        OutputArchive archive = new OutputArchive();
        OutputArchive model = new OutputArchive();
        network.save(model);
        archive.write("model", model);
        OutputArchive optimizerArchive = new OutputArchive();
        optimizer.save(optimizerArchive);
        archive.write("optimizer", optimizerArchive);
        archive.write("rng", torch.getDefaultCPUGenerator().get_state());
        if (!state.bestWeights().isEmpty()) {
            OutputArchive best = new OutputArchive();
            for (int i = 0; i < state.bestWeights().size(); i++) {
                best.write("t" + i, state.bestWeights().get(i));
            }
            archive.write("best", best);
        }
        archive.write("metadata", new IValue(toText(state)));

        Path file = folder.resolve(String.format(Locale.ROOT, "epoch-%04d%s", state.epoch(), SUFFIX));
        AtomicFiles.write(file, tmp -> archive.save_to(tmp.toString()));
        String sum = sha256(file);
        AtomicFiles.write(sumFile(file), tmp -> Files.writeString(tmp, sum + "\n", StandardCharsets.US_ASCII));

        List<Path> valid = validCheckpoints();
        for (int i = KEEP; i < valid.size(); i++) {
            delete(valid.get(i));
        }
    }

    /** The newest checkpoint whose checksum matches, if any. */
    public Optional<Path> latest() {
        List<Path> valid = validCheckpoints();
        return valid.isEmpty() ? Optional.empty() : Optional.of(valid.get(0));
    }

    /**
     * Restores network, optimizer and random generator from the newest valid checkpoint; returns what else
     * it held. The network and optimizer must be freshly made with the same settings.
     */
    public State restore(Path checkpoint, DigitNetwork network, Optimizer optimizer, ComputeDevice device) {
        try {
            // optimizer buffers must land on the device of the parameters they belong to
            InputArchive archive = open(checkpoint, device);
            InputArchive model = new InputArchive();
            archive.read("model", model);
            network.load(model);
            network.useChannelsLast();
            InputArchive optimizerArchive = new InputArchive();
            archive.read("optimizer", optimizerArchive);
            optimizer.load(optimizerArchive);
            Tensor rng = new Tensor();
            archive.read("rng", rng);
            torch.getDefaultCPUGenerator().set_state(rng.cpu());
            State state = metadata(archive);
            InputArchive best = new InputArchive();
            if (!archive.try_read("best", best)) {
                return state;
            }
            List<Tensor> bestWeights = new ArrayList<>();
            for (int i = 0; ; i++) {
                Tensor t = new Tensor();
                if (!best.try_read("t" + i, t)) {
                    break;
                }
                bestWeights.add(t);
            }
            return new State(state.epoch(), state.options(), state.history(), bestWeights);
        } catch (RuntimeException e) {
            throw unreadable(checkpoint, "restored", e);
        }
    }

    /** Reads just the settings and history, to rebuild the trainer before restoring. */
    public State peek(Path checkpoint) {
        try {
            return metadata(open(checkpoint, null));
        } catch (RuntimeException e) {
            throw unreadable(checkpoint, "read", e);
        }
    }

    private static InputArchive open(Path checkpoint, ComputeDevice device) {
        InputArchive archive = new InputArchive();
        archive.load_from(checkpoint.toString(), device == null ? new DeviceOptional() : new DeviceOptional(device.torch()));
        return archive;
    }

    private static State metadata(InputArchive archive) {
        IValue text = new IValue();
        archive.read("metadata", text);
        return fromText(text.toStringRef().getString());
    }

    private static UserException unreadable(Path checkpoint, String what, RuntimeException e) {
        String m = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return new UserException(checkpoint + ": checkpoint cannot be " + what + " (" + m + ")");
    }

    private List<Path> validCheckpoints() {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().matches("epoch-\\d{4}\\" + SUFFIX))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
                    .filter(this::checksumMatches)
                    .toList();
        } catch (IOException e) {
            throw new UserException(folder + ": cannot list checkpoints (" + AtomicFiles.describe(e) + ")");
        }
    }

    private boolean checksumMatches(Path file) {
        try {
            Path sum = sumFile(file);
            return Files.isRegularFile(sum) && Files.readString(sum).trim().equals(sha256(file));
        } catch (IOException | UserException e) {
            return false;
        }
    }

    /** Temporary files of a write that a kill interrupted: never trusted, so only clutter. */
    private void removeLeftovers() {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(p -> p.getFileName().toString().matches("\\..*\\.part")).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // clutter only
        }
    }

    private static Path sumFile(Path file) {
        return file.resolveSibling(file.getFileName() + SUM_SUFFIX);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(sumFile(file)); // the checksum first: a half-deleted checkpoint is invalid
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // an old checkpoint left behind does no harm
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UserException(file + ": cannot read (" + AtomicFiles.describe(e) + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String toText(State state) {
        Properties p = new Properties();
        p.setProperty("epoch", Integer.toString(state.epoch()));
        state.options().putInto(p);
        for (EpochResult r : state.history()) {
            p.setProperty(String.format(Locale.ROOT, "history.%04d", r.epoch()), r.epoch() + "," + r.epochs() + ","
                    + r.trainLoss() + "," + r.trainAccuracy() + "," + r.validationLoss() + ","
                    + r.validationAccuracy() + "," + r.seconds() + "," + r.imagesPerSecond());
        }
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static State fromText(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<EpochResult> history = new ArrayList<>();
        p.stringPropertyNames().stream().sorted().forEach(key -> {
            if (key.startsWith("history.")) {
                String[] f = p.getProperty(key).split(",");
                history.add(new EpochResult(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                        Double.parseDouble(f[6]), Double.parseDouble(f[7])));
            }
        });
        return new State(Integer.parseInt(p.getProperty("epoch")), TrainingOptions.fromProperties(p), history);
    }
}
