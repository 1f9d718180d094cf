package dev.lenetdigits.model;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.UserException;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.global.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model file: one libtorch archive (the format of {@code torch::save}, so C++ libtorch can load the
 * weights with {@code torch::load(module, path)}) holding the network's parameters under their module
 * names plus one extra string entry, {@value #METADATA_KEY}, with the {@link ModelInfo}.
 */
public final class ModelFile {
    public static final String METADATA_KEY = "lenet_digits_metadata";

    private ModelFile() {}

    /** A network read back from a file, with what the file says about it. */
    public record Loaded(LeNet network, ModelInfo info) {}

    /** Writes weights and metadata to a temporary file and renames it over {@code path}. */
    public static void save(Path path, LeNet network, ModelInfo info) {
        OutputArchive archive = new OutputArchive();
        network.save(archive);
        archive.write(METADATA_KEY, new IValue(info.toText()));
        AtomicFiles.write(path, tmp -> archive.save_to(tmp.toString()));
    }

    /** Reads a model file onto the CPU; every way the file can be wrong is one {@link UserException}. */
    public static Loaded load(Path path) {
        checkLooksLikeArchive(path);
        InputArchive archive = new InputArchive();
        try {
            archive.load_from(path.toString(), new DeviceOptional(new Device(torch.DeviceType.CPU)));
        } catch (RuntimeException e) {
            throw new UserException(path + ": not a readable model file (truncated or corrupt archive: "
                    + firstLine(e) + ")");
        }
        IValue text = new IValue();
        boolean found;
        try {
            found = archive.try_read(METADATA_KEY, text);
        } catch (RuntimeException e) {
            found = false;
        }
        ModelInfo info = found && text.isString() ? ModelInfo.fromText(text.toStringRef().getString()) : null;
        if (info == null) {
            throw new UserException(path + ": a libtorch archive, but not a lenet-digits model (no metadata)");
        }
        if (!LeNet.ARCHITECTURE.equals(info.architecture())) {
            throw new UserException(path + ": architecture '" + info.architecture()
                    + "' is not known to this version of lenet-digits");
        }
        LeNet network = new LeNet();
        try {
            network.load(archive);
            network.useChannelsLast();
        } catch (RuntimeException e) {
            throw new UserException(path + ": weights do not fit the " + info.architecture()
                    + " network (" + firstLine(e) + ")");
        }
        return new Loaded(network, info);
    }

    private static void checkLooksLikeArchive(Path path) {
        if (Files.isDirectory(path)) {
            throw new UserException(path + ": is a folder, not a model file");
        }
        if (!Files.isRegularFile(path)) {
            throw new UserException(path + ": no such model file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(4);
        } catch (IOException e) {
            throw new UserException(path + ": cannot read (" + AtomicFiles.describe(e) + ")");
        }
        if (head.length == 0) {
            throw new UserException(path + ": empty file, not a model");
        }
        // libtorch archives are zip files
        if (head.length < 4 || head[0] != 'P' || head[1] != 'K' || head[2] != 3 || head[3] != 4) {
            throw new UserException(path + ": not a lenet-digits model file (not a libtorch archive)");
        }
    }

    private static String firstLine(RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String line = m.lines().findFirst().orElse(m).trim();
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }
}
