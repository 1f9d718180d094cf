package dev.lenetdigits.model;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.UserException;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.global.torch;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model file: one libtorch archive (the format of {@code torch::save}, so C++ libtorch can load the
 * weights with {@code torch::load(module, path)}) holding the network's parameters under their module
 * names plus one extra string entry, {@value #METADATA_KEY}, with the {@link ModelInfo}, and a second,
 * {@value #CHECKSUM_KEY}: the SHA-256 of that metadata and of every weight's bytes. libtorch's zip reader
 * misses some damage (a fuzz test found flipped bytes that still loaded); the checksum does not.
 */
public final class ModelFile {
    public static final String METADATA_KEY = "lenet_digits_metadata";
    public static final String CHECKSUM_KEY = "lenet_digits_sha256";

    private ModelFile() {}

    /** A network read back from a file, with what the file says about it. */
    public record Loaded(DigitNetwork network, ModelInfo info) {}

    /** Writes weights and metadata to a temporary file and renames it over {@code path}. */
    public static void save(Path path, DigitNetwork network, ModelInfo info) {
        OutputArchive archive = new OutputArchive();
        network.save(archive);
        String text = info.toText();
        archive.write(METADATA_KEY, new IValue(text));
        archive.write(CHECKSUM_KEY, new IValue(checksum(text, network)));
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
        String metadata = found && text.isString() ? text.toStringRef().getString() : null;
        ModelInfo info = metadata == null ? null : ModelInfo.fromText(metadata);
        if (info == null) {
            throw new UserException(path + ": a libtorch archive, but not a lenet-digits model (no metadata)");
        }
        if (!Architectures.isKnown(info.architecture())) {
            throw new UserException(path + ": architecture '" + info.architecture()
                    + "' is not known to this version of lenet-digits");
        }
        DigitNetwork network = Architectures.create(info.architecture());
        try {
            network.load(archive);
            network.useChannelsLast();
        } catch (RuntimeException e) {
            throw new UserException(path + ": weights do not fit the " + info.architecture()
                    + " network (" + firstLine(e) + ")");
        }
        IValue stored = new IValue();
        boolean hasSum;
        try {
            hasSum = archive.try_read(CHECKSUM_KEY, stored) && stored.isString();
        } catch (RuntimeException e) {
            hasSum = false;
        }
        if (!hasSum) {
            throw new UserException(path + ": model file has no checksum (written by an early development build "
                    + "of lenet-digits); train it again");
        }
        if (!stored.toStringRef().getString().equals(checksum(metadata, network))) {
            throw new UserException(path + ": damaged model file (its weights or metadata do not match its checksum)");
        }
        return new Loaded(network, info);
    }

    /** SHA-256 over the metadata text and each parameter's name and bytes, in name order, as hex. */
    static String checksum(String metadata, DigitNetwork network) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(metadata.getBytes(StandardCharsets.UTF_8));
            StringTensorDict parameters = network.named_parameters();
            TreeMap<String, Tensor> byName = new TreeMap<>();
            for (long i = 0; i < parameters.size(); i++) {
                byName.put(parameters.get(i).key().getString(), parameters.get(i).access());
            }
            for (var entry : byName.entrySet()) {
                sha.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
                // logical (NCHW) order on the CPU, so the sum does not depend on memory layout or device
                Tensor t = entry.getValue().detach().to(new Device(torch.DeviceType.CPU), torch.ScalarType.Float)
                        .contiguous();
                sha.update(new BytePointer(t.data_ptr()).capacity(t.nbytes()).asByteBuffer());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
