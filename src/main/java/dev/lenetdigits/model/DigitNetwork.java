package dev.lenetdigits.model;

import dev.lenetdigits.data.DigitSet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import java.util.function.IntFunction;

/**
 * A network of the LeNet family: convolution and pooling stages, then fully connected layers, mapping
 * normalised images [N,1,28,28] to log-probabilities [N,10]. Subclasses register their layers as
 * libtorch submodules, so {@code parameters()}, {@code save} and {@code load} see them by name.
 *
 * <p>Convolutions run in channels-last (NHWC) layout: oneDNN's convolutions and libtorch's pooling are
 * several times faster in it on the CPU than in NCHW (docs/performance.md), and cuDNN prefers it as well.
 */
public abstract class DigitNetwork extends Module {
    /** The name the model file records, e.g. "lenet". */
    public abstract String architecture();

    /** Normalised float images [N,1,28,28] → log-probabilities [N,10]. */
    public abstract Tensor forward(Tensor x);

    /** The convolution weights, to be kept channels-last. */
    protected abstract Tensor[] convolutionWeights();

    /**
     * Stores the convolution weights channels-last, which makes each convolution's output channels-last too.
     * Called again after weights are loaded, since loading keeps the file's layout.
     */
    public void useChannelsLast() {
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Tensor w : convolutionWeights()) {
                w.set_data(w.contiguous(torch.MemoryFormat.ChannelsLast));
            }
        }
    }

    /**
     * The log of the mean of {@code count} sets of probabilities for the batch {@code x}: the i-th set is
     * {@code exp(logProbabilities.apply(i))}. Each forward pass runs in its own pointer scope and is added
     * into one float32 sum, so its intermediate tensors are freed before the next starts: memory for one
     * pass instead of all of them (an ensemble with test-time augmentation would otherwise hold K×5).
     */
    protected static Tensor logMeanProbability(Tensor x, int count, IntFunction<Tensor> logProbabilities) {
        Tensor sum = torch.zeros(new long[] {x.size(0), DigitSet.CLASSES},
                new TensorOptions(torch.ScalarType.Float).device(new DeviceOptional(x.device())));
        for (int i = 0; i < count; i++) {
            try (PointerScope pass = new PointerScope()) {
                sum.add_(logProbabilities.apply(i).exp());
            }
        }
        return sum.div_(new Scalar((double) count)).log_();
    }

    /** Scores [N,10] → log-probabilities, in float32 even under bfloat16 autocast, so they and the loss are never rounded. */
    protected static Tensor logProbabilities(Tensor scores) {
        return torch.log_softmax(scores.to(torch.ScalarType.Float), 1);
    }

    /**
     * With one channel, NCHW and NHWC hold the same bytes, but libtorch only picks channels-last kernels
     * when the strides say so: view the batch as [N,28,28,1] and put the channel dim in place.
     */
    protected static Tensor asChannelsLast(Tensor x) {
        return x.reshape(x.size(0), x.size(2), x.size(3), 1).permute(0, 3, 1, 2);
    }

    /**
     * A row-major copy of a channels-last x [N,C,H,W], for layers that read the NCHW order (flatten before a
     * fully connected layer). A plain {@code contiguous()} would hand its gradient back row-major, and the
     * max-pooling before it would then run its slow row-major backward over channels-last indices. Here the
     * copy starts from x's own NHWC memory viewed flat, so autograd, going back, first gathers the gradient
     * into that flat NHWC order: it reaches x channels-last, for the cost of one small copy. Forward, the values
     * are those of {@code contiguous()}; a tensor that is not channels-last gets plain {@code contiguous()}.
     */
    protected static Tensor rowMajorCopy(Tensor x) {
        Tensor nhwc = x.permute(0, 2, 3, 1);
        if (x.dim() != 4 || !nhwc.is_contiguous()) {
            return x.contiguous();
        }
        long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        return nhwc.reshape(n, h * w * c).view(n, h, w, c).permute(0, 3, 1, 2).contiguous();
    }
}
