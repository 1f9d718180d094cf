package dev.lenetdigits.model;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;

import static org.bytedeco.pytorch.global.torch.relu;

/**
 * The reference LeNet, the network the tool started from:
 * INPUT → CONV(20@5×5, pad 2) → RELU → POOL 2×2 → CONV(50@5×5, pad 2) → RELU → POOL 2×2 → FC 500 → RELU
 * → FC 10 → log-softmax; submodules conv1, conv2, fc1, fc2.
 */
public final class LeNet extends DigitNetwork {
    public static final String ARCHITECTURE = "lenet";

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
     * stage's ReLU runs on a row-major copy: fc1 reads that order anyway (flatten is then a view), and the
     * gradient coming back through flatten is row-major, so the ReLU's backward sees one layout, not two.
     */
    @Override
    public Tensor forward(Tensor x) {
        x = asChannelsLast(x);
        x = relu(MaxPooling.pool2x2(conv1.forward(x)));
        x = relu(MaxPooling.pool2x2(conv2.forward(x)).contiguous());
        x = relu(FullyConnected.forward(fc1, x.flatten(1, -1)));
        return logProbabilities(fc2.forward(x));
    }
}
