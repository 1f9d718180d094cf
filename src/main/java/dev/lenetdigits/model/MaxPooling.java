package dev.lenetdigits.model;

import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Tensor;

import static org.bytedeco.pytorch.global.torch.max_pool2d;

/**
 * 2×2 max-pooling with stride 2 (no padding, odd edges dropped), as {@code max_pool2d(x, 2, 2)}.
 *
 * <p>Without autograd (inference and validation) and on a channels-last batch, it is computed as two
 * elementwise maxima of strided views of the same memory: first of each pair of rows, then of each pair of
 * columns. Those run over whole rows of contiguous channels, where libtorch 2.10's channels-last max-pool
 * kernel walks window by window and is several times slower (docs/performance.md). The maximum is exact,
 * so the values are those of {@code max_pool2d} bit for bit. Under autograd {@code max_pool2d} stays: its
 * backward sends each window's gradient to one position, where the backward of a maximum would split it
 * between tied values.
 */
public final class MaxPooling {
    private MaxPooling() {}

    /** x [N,C,H,W] → [N,C,H/2,W/2]. */
    public static Tensor pool2x2(Tensor x) {
        if (GradMode.is_enabled() || x.dim() != 4 || x.size(2) % 2 != 0 || x.size(3) % 2 != 0) {
            return max_pool2d(x, 2, 2);
        }
        Tensor nhwc = x.permute(0, 2, 3, 1);
        if (!nhwc.is_contiguous()) {
            return max_pool2d(x, 2, 2);
        }
        long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        Tensor rowPairs = nhwc.view(n, h / 2, 2, w, c);
        Tensor rows = rowPairs.select(2, 0).maximum(rowPairs.select(2, 1)); // [N,H/2,W,C], contiguous
        Tensor columnPairs = rows.view(n, h / 2, w / 2, 2, c);
        return columnPairs.select(3, 0).maximum(columnPairs.select(3, 1)).permute(0, 3, 1, 2);
    }
}
