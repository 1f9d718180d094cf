package dev.lenetdigits.inference;

import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.data.Tensors;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.DeviceRequest;
import dev.lenetdigits.device.NativeRuntime;
import dev.lenetdigits.model.BatchedForward;
import dev.lenetdigits.model.DigitNetwork;
import dev.lenetdigits.model.ModelFile;
import dev.lenetdigits.model.ShiftAveraged;
import dev.lenetdigits.model.ModelInfo;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A trained network (any of the LeNet family) ready to classify handwritten digits: a model file as a Java library.
 *
 * <pre>{@code
 * try (DigitClassifier classifier = DigitClassifier.load(Path.of("model.pt"))) {
 *     Prediction p = classifier.classify(ImageIO.read(new File("seven.png")));
 *     System.out.println(p.digit() + " " + p.probability());
 * }
 * }</pre>
 *
 * <p>Inputs are one digit each, in any of three forms: a {@link BufferedImage} of any size and colour
 * (brought to MNIST's form by {@link DigitImages}), 784 bytes (28×28, row-major, 0 = background,
 * 255 = ink, as in the CSV and IDX files) or 784 floats (the same scaled to 0-1). The {@code classifyAll}
 * methods run many digits through the network in batches of {@value #BATCH}, which is far faster per
 * digit than one call each.
 *
 * <p><b>Threads.</b> Every {@code classify}, {@code classifyAll} and {@code predict} method may be called
 * from many threads at once on one classifier: the network is only read. {@link #close()} waits for calls
 * in progress, frees the network's native memory, and makes later calls throw
 * {@link IllegalStateException}.
 *
 * <p><b>Device.</b> {@link #load(Path)} follows the same rule as training: CUDA when libtorch sees a GPU
 * (and the jar carries the GPU natives), else the CPU.
 */
public final class DigitClassifier implements AutoCloseable {
    /**
     * Digits per forward pass. Not larger: a batch's activations should stay in the CPU's caches (LeNet's
     * first layer alone makes 62 KB per digit); docs/performance.md has the batch sizes measured.
     */
    public static final int BATCH = 256;

    private final DigitNetwork network;
    private final ModelInfo info;
    private final ComputeDevice device;
    private final boolean ownsNetwork;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    /**
     * Wraps a network the caller keeps (for instance one just trained): it is moved to {@code device} and
     * put in evaluation mode, and {@link #close()} leaves it alive.
     */
    public DigitClassifier(DigitNetwork network, ModelInfo info, ComputeDevice device) {
        this(network, info, device, false);
    }

    private DigitClassifier(DigitNetwork network, ModelInfo info, ComputeDevice device, boolean ownsNetwork) {
        this.network = network;
        this.info = info;
        this.device = device;
        this.ownsNetwork = ownsNetwork;
        network.to(device.torch(), false);
        network.eval();
    }

    /**
     * Loads a model file written by {@code train}, on CUDA when libtorch sees a GPU, else on the CPU.
     *
     * @throws dev.lenetdigits.UserException naming the file when it is missing, empty, corrupt or not a
     *                                       lenet-digits model
     */
    public static DigitClassifier load(Path modelFile) {
        ComputeDevice device = NativeRuntime.select(DeviceRequest.AUTO);
        return load(modelFile, device);
    }

    /** Loads a model file written by {@code train} onto the given device (see {@link NativeRuntime#select}). */
    public static DigitClassifier load(Path modelFile, ComputeDevice device) {
        return load(modelFile, device, false);
    }

    /**
     * As {@link #load(Path, ComputeDevice)}; with {@code shiftAveraged}, every digit is also classified moved
     * by one pixel in each direction and the five answers are averaged (test-time augmentation, 5× the work).
     */
    public static DigitClassifier load(Path modelFile, ComputeDevice device, boolean shiftAveraged) {
        ModelFile.Loaded loaded = ModelFile.load(modelFile);
        DigitNetwork network = ShiftAveraged.around(loaded.network(), loaded.info().normalization(), shiftAveraged);
        return new DigitClassifier(network, loaded.info(), device, true);
    }

    /** What the model file says about the network: architecture, input scaling, training settings. */
    public ModelInfo info() {
        return info;
    }

    /** Where the network runs. */
    public ComputeDevice device() {
        return device;
    }

    /**
     * Classifies one image of a digit, of any size and colour, dark ink on light paper or the reverse.
     *
     * @throws NoInkException when the image has no ink
     */
    public Prediction classify(BufferedImage image) {
        return classify(DigitImages.toMnist(image));
    }

    /** Classifies one digit given as 784 bytes: 28×28, row-major, 0 = background, 255 = ink. */
    public Prediction classify(byte[] pixels) {
        return classifyAll(new byte[][] {pixels}).get(0);
    }

    /** Classifies one digit given as 784 floats in 0-1: 28×28, row-major, 0 = background, 1 = ink. */
    public Prediction classify(float[] pixels) {
        return classifyAll(new float[][] {pixels}).get(0);
    }

    /**
     * Classifies many images in batches, in order.
     *
     * @throws NoInkException when one of them has no ink (its position is in the message)
     */
    public List<Prediction> classifyAll(List<? extends BufferedImage> images) {
        byte[][] digits = new byte[images.size()][];
        for (int i = 0; i < digits.length; i++) {
            digits[i] = DigitImages.toMnist(images.get(i), "image " + i);
        }
        return classifyAll(digits);
    }

    /** Classifies many digits, each 784 bytes (see {@link #classify(byte[])}), in batches, in order. */
    public List<Prediction> classifyAll(byte[][] digits) {
        if (digits.length == 0) {
            return List.of();
        }
        byte[] pixels = new byte[digits.length * DigitSet.PIXELS];
        for (int i = 0; i < digits.length; i++) {
            checkLength(digits[i].length, i);
            System.arraycopy(digits[i], 0, pixels, i * DigitSet.PIXELS, DigitSet.PIXELS);
        }
        return guarded(() -> {
            try (PointerScope scope = new PointerScope()) {
                return run(DigitSet.fromBytes(pixels, null, digits.length, "digits").images());
            }
        }).toList();
    }

    /** Classifies many digits, each 784 floats in 0-1 (see {@link #classify(float[])}), in batches, in order. */
    public List<Prediction> classifyAll(float[][] digits) {
        if (digits.length == 0) {
            return List.of();
        }
        // the network's input scaling expects 0-255 levels, as stored in the files
        float[] levels = new float[digits.length * DigitSet.PIXELS];
        for (int i = 0; i < digits.length; i++) {
            float[] d = digits[i];
            checkLength(d.length, i);
            for (int j = 0; j < d.length; j++) {
                if (!(d[j] >= 0 && d[j] <= 1)) {
                    throw new IllegalArgumentException("digit " + i + ", pixel " + j + ": " + d[j] + " is not in 0-1");
                }
                levels[i * DigitSet.PIXELS + j] = d[j] * 255f;
            }
        }
        return guarded(() -> {
            try (PointerScope scope = new PointerScope()) {
                Tensor images = torch.empty(new long[] {digits.length, 1, DigitSet.SIDE, DigitSet.SIDE},
                        new TensorOptions(torch.ScalarType.Float), null);
                new FloatPointer(images.data_ptr()).put(levels);
                return run(images);
            }
        }).toList();
    }

    /** Classifies every digit of a set (labels, if any, are ignored), as a list. */
    public List<Prediction> classifyAll(DigitSet digits) {
        return predict(digits).toList();
    }

    /** Classifies every digit of the set (labels, if any, are ignored). */
    public Predictions predict(DigitSet digits) {
        return guarded(() -> run(digits.images()));
    }

    /**
     * Frees the network's native memory when this classifier loaded it (a network given to the
     * constructor stays the caller's). Waits for calls in progress; later calls throw
     * {@link IllegalStateException}. Closing twice does nothing.
     */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                if (ownsNetwork) {
                    network.close();
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private interface Work<T> {
        T run();
    }

    /** Runs inference under the read lock: any number at once, none while closing. */
    private <T> T guarded(Work<T> work) {
        Lock read = lock.readLock();
        read.lock();
        try {
            if (closed) {
                throw new IllegalStateException("this DigitClassifier is closed");
            }
            return work.run();
        } finally {
            read.unlock();
        }
    }

    /** uint8 (0-255) or float (0-255) images [N,1,28,28] on any device → predictions. */
    private Predictions run(Tensor images) {
        Tensor onDevice = images.device().equals(device.torch()) ? images : images.to(device.torch(), images.scalar_type());
        int n = (int) onDevice.size(0);
        int[] labels = new int[n];
        float[] probabilities = new float[n * DigitSet.CLASSES];
        try (var precision = device.autocast()) {
            BatchedForward.run(network, info.normalization(), onDevice, BATCH, (start, count, logProbabilities) -> {
                float[] p = Tensors.toFloatArray(logProbabilities.exp());
                System.arraycopy(p, 0, probabilities, (int) start * DigitSet.CLASSES, p.length);
            });
        }
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < DigitSet.CLASSES; c++) {
                if (probabilities[i * DigitSet.CLASSES + c] > probabilities[i * DigitSet.CLASSES + best]) {
                    best = c;
                }
            }
            labels[i] = best;
        }
        return new Predictions(labels, probabilities);
    }

    private static void checkLength(int length, int index) {
        if (length != DigitSet.PIXELS) {
            throw new IllegalArgumentException("digit " + index + ": expected " + DigitSet.PIXELS
                    + " pixels (28×28), got " + length);
        }
    }
}
