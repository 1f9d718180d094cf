package dev.lenetdigits.model;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * The forward pass of a fully connected layer, with the matrix product where it runs best.
 *
 * <p>This libtorch build does float32 matrix products in OpenBLAS, which runs on one thread here (its own
 * thread pool fights libtorch's OpenMP threads for the cores; see device.NativeRuntime), so during a large
 * layer the other cores wait. oneDNN's inner product ({@code mkldnn_linear}) splits the same product over
 * libtorch's OpenMP threads, forward and backward, in float32. It is used on the CPU for float32 inputs;
 * on CUDA, and under bfloat16 autocast (which runs the product in oneDNN already), the usual linear stays.
 */
public final class FullyConnected {
    private FullyConnected() {}

    /** {@code layer.forward(x)} for x [N, in], computed as above; the result is an ordinary (dense) tensor. */
    public static Tensor forward(LinearImpl layer, Tensor x) {
        if (!usesOneDnn(x)) {
            return layer.forward(x);
        }
        // to_mkldnn, mkldnn_linear and to_dense all have autograd formulas, so gradients flow as through linear
        Tensor product = torch.mkldnn_linear(x.contiguous().to_mkldnn(), layer.weight(),
                new TensorOptional(layer.bias()));
        return product.to_dense();
    }

    /** True when {@link #forward} takes oneDNN's inner product for this input. */
    static boolean usesOneDnn(Tensor x) {
        return x.dim() == 2 && isPlainCpuFloat(x) && torch.hasMKLDNN();
    }

    /** True for a float32 tensor on the CPU outside bfloat16 autocast. */
    static boolean isPlainCpuFloat(Tensor x) {
        // JavaCPP hands back a fresh enum object: intern() gives the constant to compare with
        return x.is_cpu() && x.scalar_type().intern() == torch.ScalarType.Float
                && !torch.is_autocast_enabled(torch.DeviceType.CPU);
    }
}
