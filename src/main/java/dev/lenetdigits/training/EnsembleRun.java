package dev.lenetdigits.training;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.UserException;
import dev.lenetdigits.model.Architectures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * An ensemble's run folder: {@value #MANIFEST} (K, the views and the settings the run started with),
 * {@code member-01/} … (each a {@link Checkpoints} folder of that member's epochs) and {@code member-01.pt} …
 * (each finished member's model file). A run killed at any moment resumes from it. Members trained in
 * processes of their own without a folder named by the user share a temporary one, deleted at the end.
 */
public final class EnsembleRun {
    public static final String MANIFEST = "ensemble.properties";

    private final Path folder;
    private boolean started;
    private final boolean temporary;

    /** K, the views and the settings (the precision among them) a run was started with. */
    public record Manifest(int members, List<String> views, TrainingOptions options) {}

    private EnsembleRun(Path folder, boolean started, boolean temporary) {
        this.folder = folder;
        this.started = started;
        this.temporary = temporary;
    }

    /** A new run in {@code emptyFolder}, which may not exist yet; refuses a folder that already holds files. */
    public static EnsembleRun create(Path emptyFolder) {
        try (Stream<Path> files = Files.exists(emptyFolder) ? Files.list(emptyFolder) : Stream.empty()) {
            if (files.findAny().isPresent()) {
                throw new UserException(emptyFolder + ": already holds files; continue that run with --resume "
                        + emptyFolder + ", or name an empty folder");
            }
        } catch (IOException e) {
            throw new UserException(emptyFolder + ": cannot list (" + AtomicFiles.describe(e) + ")");
        }
        return new EnsembleRun(emptyFolder, false, false);
    }

    /** A new run in a temporary folder, for members that hand their networks over in it; see {@link #delete}. */
    public static EnsembleRun temporary() {
        try {
            return new EnsembleRun(Files.createTempDirectory("lenet-digits-ensemble-"), false, true);
        } catch (IOException e) {
            throw new UserException("cannot create a temporary folder for the member processes ("
                    + AtomicFiles.describe(e) + "); name one with --checkpoint-dir");
        }
    }

    /** The run that was started in {@code folder} (its manifest says how; see {@link #manifest(Path)}). */
    public static EnsembleRun existing(Path folder) {
        return new EnsembleRun(folder, true, false);
    }

    /** The manifest of the run in {@code folder}, or empty when {@code folder} holds none. */
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

    public Path folder() {
        return folder;
    }

    /** True once the run has begun: its manifest is written (here, or by the run this one resumes). */
    public boolean isStarted() {
        return started;
    }

    /**
     * Begins the run: writes its manifest. Only once the training digits are read, so that a bad training file
     * leaves no started run behind.
     */
    public void start(Manifest manifest) {
        Properties p = new Properties();
        p.setProperty("members", Integer.toString(manifest.members()));
        p.setProperty("views", String.join(",", manifest.views()));
        manifest.options().putInto(p);
        AtomicFiles.write(folder.resolve(MANIFEST), tmp -> {
            try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "lenet-digits ensemble checkpoints");
            }
        });
        started = true;
    }

    /** Member {@code i}'s (from 0) model file, there once it finished. */
    public Path memberFile(int i) {
        return folder.resolve(memberName(i) + ".pt");
    }

    public boolean isFinished(int i) {
        return Files.isRegularFile(memberFile(i));
    }

    /** Member {@code i}'s (from 0) checkpoints. */
    public Checkpoints memberCheckpoints(int i) {
        return new Checkpoints(folder.resolve(memberName(i)));
    }

    public boolean isTemporary() {
        return temporary;
    }

    /** Deletes a temporary run's folder and all in it; a run the user named is left alone. */
    public void delete() throws IOException {
        if (!temporary) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String memberName(int i) {
        return String.format(Locale.ROOT, "member-%02d", i + 1);
    }
}
