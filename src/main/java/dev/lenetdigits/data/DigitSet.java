package dev.lenetdigits.data;

import dev.lenetdigits.UserException;
import dev.lenetdigits.device.ComputeDevice;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A set of 28×28 grey digits held as ONE uint8 tensor {@code [N,1,28,28]} (0 = paper, 255 = ink), with an
 * optional int64 label tensor {@code [N]}. Batches are cut from it by index in libtorch; scaling to floats
 * happens on the tensor (see {@code model.InputNormalization}), never per pixel in Java.
 */
public final class DigitSet {
    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;
    public static final int CLASSES = 10;

    private final Tensor images;
    private final Tensor labels;
    private final String source;

    private DigitSet(Tensor images, Tensor labels, String source) {
        this.images = images;
        this.labels = labels;
        this.source = source;
    }

    /**
     * Copies pixels (N×784 bytes, row-major) and labels (N bytes, or null) into tensors on the CPU.
     * Only the first {@code count} digits of each array are used.
     */
    public static DigitSet fromBytes(byte[] pixels, byte[] labelBytes, int count, String source) {
        Tensor images = torch.empty(new long[] {count, 1, SIDE, SIDE}, new TensorOptions(torch.ScalarType.Byte), null);
        new BytePointer(images.data_ptr()).put(pixels, 0, count * PIXELS);
        Tensor labels = null;
        if (labelBytes != null) {
            Tensor raw = torch.empty(new long[] {count}, new TensorOptions(torch.ScalarType.Byte), null);
            new BytePointer(raw.data_ptr()).put(labelBytes, 0, count);
            labels = raw.to(torch.ScalarType.Long);
        }
        return new DigitSet(images, labels, source);
    }

    public int size() {
        return (int) images.size(0);
    }

    public boolean hasLabels() {
        return labels != null;
    }

    /** Why training refuses a set without labels, as {@link #requireLabels} says it. */
    public static final String TRAINING_NEEDS_LABELS = "; training needs a labelled file (a CSV with a label column, "
            + "or an IDX images file with its labels file beside it)";

    /** This set; one without labels is refused with "SOURCE: has no labels" and {@code why}. */
    public DigitSet requireLabels(String why) {
        if (labels == null) {
            throw new UserException(source + ": has no labels" + why);
        }
        return this;
    }

    /** uint8 [N,1,28,28]. */
    public Tensor images() {
        return images;
    }

    /** int64 [N]; null for an unlabelled set (e.g. Kaggle's test.csv). */
    public Tensor labels() {
        return labels;
    }

    /** Where the digits came from, for messages: usually the file name. */
    public String source() {
        return source;
    }

    /** The same digits on another device (one copy of the whole set, made once). */
    public DigitSet to(ComputeDevice device) {
        if (images.device().equals(device.torch())) {
            return this;
        }
        return new DigitSet(images.to(device.torch(), images.scalar_type()),
                labels == null ? null : labels.to(device.torch(), labels.scalar_type()), source);
    }

    /** The digits at the given positions, in that order, as a new contiguous set. */
    public DigitSet select(int[] positions, String name) {
        Tensor index = torch.empty(new long[] {positions.length}, new TensorOptions(torch.ScalarType.Long), null);
        LongPointer p = new LongPointer(index.data_ptr());
        for (int i = 0; i < positions.length; i++) {
            p.put(i, positions[i]);
        }
        index = index.to(images.device(), torch.ScalarType.Long);
        return new DigitSet(images.index_select(0, index),
                labels == null ? null : labels.index_select(0, index), name);
    }

    /** The pixels as Java bytes, N×784 row-major (one bulk copy). */
    public byte[] pixelBytes() {
        Tensor cpu = images.to(new Device(torch.DeviceType.CPU), torch.ScalarType.Byte).contiguous();
        byte[] out = new byte[(int) cpu.numel()];
        new BytePointer(cpu.data_ptr()).get(out);
        return out;
    }

    /** The labels as Java ints (one bulk copy). */
    public int[] labelArray() {
        if (labels == null) {
            throw new IllegalStateException(source + " has no labels");
        }
        return Tensors.toIntArray(labels);
    }

    /** A seeded split into training and validation digits; {@code fraction} of them go to validation. */
    public Split split(double fraction, long seed) {
        int n = size();
        int validation = (int) Math.round(n * fraction);
        int[] order = shuffledPositions(n, seed);
        int[] val = Arrays.copyOfRange(order, 0, validation);
        int[] train = Arrays.copyOfRange(order, validation, n);
        Arrays.sort(val);
        Arrays.sort(train);
        return new Split(select(train, source + " (train part)"),
                validation == 0 ? null : select(val, source + " (validation part)"));
    }

    /** 0..n-1 in a seeded random order (Fisher–Yates): the same seed gives the same order on every machine. */
    static int[] shuffledPositions(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Training and validation parts; {@code validation} is null when the fraction was 0. */
    public record Split(DigitSet train, DigitSet validation) {}
}
