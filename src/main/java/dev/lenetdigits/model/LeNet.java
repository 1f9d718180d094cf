package dev.lenetdigits.model;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

import static org.bytedeco.pytorch.global.torch.relu_;

/**
 * The reference LeNet, the network the tool started from:
 * INPUT → CONV(20@5×5, pad 2) → RELU → POOL 2×2 → CONV(50@5×5, pad 2) → RELU → POOL 2×2 → FC 500 → RELU
 * → FC 10 → log-softmax; submodules conv1, conv2, fc1, fc2.
 */
public final class LeNet extends DigitNetwork {
    public static final String ARCHITECTURE = "lenet";

    private static final long[] UNIT = {1, 1};
    private static final long[] SAME_PADDING = {2, 2};

    private final Conv2dImpl conv1;
    private final Conv2dImpl conv2;
    private final LinearImpl fc1;
    private final LinearImpl fc2;

    public LeNet() {
        conv1 = register_module("conv1", new Conv2dImpl(convolution(1, 20, 5)));
        conv2 = register_module("conv2", new Conv2dImpl(convolution(20, 50, 5)));
        fc1 = register_module("fc1", new LinearImpl(50 * 7 * 7, 500));
        fc2 = register_module("fc2", new LinearImpl(500, 10));
        useChannelsLast();
    }

    /** A square convolution with "same" padding. */
    static Conv2dOptions convolution(long in, long out, long kernel) {
        Conv2dOptions options = new Conv2dOptions(in, out, new LongPointer(new long[] {kernel, kernel}));
        options.padding().put(new LongPointer(new long[] {kernel / 2, kernel / 2}));
        return options;
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }

    @Override
    protected Tensor[] convolutionWeights() {
        return new Tensor[] {conv1.weight(), conv2.weight()};
    }

    /**
     * Each stage pools before its ReLU: max-pooling commutes with ReLU (both keep the largest value, and a
     * window whose largest value is negative gives zero either way, with zero gradient), so the result and
     * the gradients are those of ReLU then pooling, with the ReLU done on a quarter of the values. The second
     * stage's ReLU runs on a row-major copy: fc1 reads that order anyway (flatten is then a view), the
     * gradient coming back through flatten is row-major, so the ReLU's backward sees one layout, not two,
     * and {@link #rowMajorCopy} hands it on to the pool channels-last. The ReLUs and the bias additions work in
     * place: each takes a fresh tensor that no backward formula keeps (pooling and the linear layers keep
     * their inputs, not their outputs), which saves an allocation and a pass over memory each.
     */
    @Override
    public Tensor forward(Tensor x) {
        x = asChannelsLast(x);
        x = relu_(convolveAndPool(conv1, x));
        x = relu_(rowMajorCopy(convolveAndPool(conv2, x)));
        x = relu_(FullyConnected.forward(fc1, x.flatten(1, -1)));
        return logProbabilities(fc2.forward(x));
    }

    /**
     * The 2×2 max-pool of {@code conv(x)}. When training in float32 on the CPU, the bias is added after the
     * pool instead of inside the convolution: adding a per-channel constant commutes with taking a maximum
     * (rounding is monotonic, so the values are the same bit for bit), and the bias and its gradient then
     * cost a quarter of the values, where oneDNN's convolution backward sums the bias gradient over the
     * whole output. Elsewhere (inference, bfloat16, CUDA) the convolution adds its bias itself.
     */
    private static Tensor convolveAndPool(Conv2dImpl conv, Tensor x) {
        if (!GradMode.is_enabled() || !FullyConnected.isPlainCpuFloat(x)) {
            return MaxPooling.pool2x2(conv.forward(x));
        }
        Tensor unbiased = torch.conv2d(x, conv.weight(), new TensorOptional(), UNIT, SAME_PADDING, UNIT, 1);
        return MaxPooling.pool2x2(unbiased).add_(conv.bias().view(1, -1, 1, 1));
    }
}
