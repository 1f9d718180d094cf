package dev.lenetdigits.model;

import dev.lenetdigits.device.NativeRuntime;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRefOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaxPoolingTest {
    /** A channels-last batch [n,c,h,w] with many ties: values rounded to a few levels, as in blank regions. */
    private static Tensor channelsLast(long n, long c, long h, long w) {
        return torch.randn(n, h, w, c).mul(new Scalar(2.0)).round().permute(0, 3, 1, 2);
    }

    private static void assertSameAsMaxPool(Tensor x) {
        Tensor expected = torch.max_pool2d(x, new long[] {2, 2}, new long[] {2, 2}, new long[] {0, 0}, new long[] {1, 1}, false);
        Tensor actual = MaxPooling.pool2x2(x);
        assertArrayEquals(expected.sizes().vec().get(), actual.sizes().vec().get());
        assertTrue(expected.equal(actual), "values differ from max_pool2d");
        assertArrayEquals(expected.strides().vec().get(), actual.strides().vec().get(), "not in the same memory layout");
    }

    @Test
    void givesMaxPoolsValuesBitForBitWithoutAutograd() {
        NativeRuntime.load();
        torch.manual_seed(11);
        try (InferenceMode guard = new InferenceMode()) {
            assertSameAsMaxPool(channelsLast(16, 20, 28, 28));
            assertSameAsMaxPool(channelsLast(16, 50, 14, 14));
            assertSameAsMaxPool(channelsLast(3, 20, 7, 7)); // odd sizes: max_pool2d itself
            assertSameAsMaxPool(torch.randn(4, 20, 28, 28)); // NCHW: max_pool2d itself
            assertSameAsMaxPool(channelsLast(8, 32, 28, 28).to(torch.ScalarType.BFloat16));
        }
        try (NoGradGuard guard = new NoGradGuard()) {
            assertSameAsMaxPool(channelsLast(16, 20, 28, 28));
        }
    }

    @Test
    void keepsMaxPoolsGradientUnderAutograd() {
        NativeRuntime.load();
        torch.manual_seed(12);
        Tensor x = channelsLast(8, 20, 28, 28).requires_grad_(true);
        Tensor g = torch.randn(8, 14, 14, 20).permute(0, 3, 1, 2);
        MaxPooling.pool2x2(x).backward(g, new BoolOptional(), false,
                new TensorArrayRefOptional());
        Tensor ours = x.grad().clone();
        x.grad().zero_();
        torch.max_pool2d(x, new long[] {2, 2}, new long[] {2, 2}, new long[] {0, 0}, new long[] {1, 1}, false)
                .backward(g, new BoolOptional(), false, new TensorArrayRefOptional());
        assertTrue(ours.equal(x.grad()), "gradients differ from max_pool2d's");
    }
}
