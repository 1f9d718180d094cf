package dev.lenetdigits.training;

import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Random rotation (±10°), scale (0.9–1.1) and shift (±2 pixels) of every image in a batch, done on the
 * batch's device with one affine grid and one bilinear resampling; seeded through libtorch's generator.
 * Works on images scaled to [0,1] with 0 as paper, so the border that moves in is paper.
 */
final class Augmentation {
    private static final double MAX_ANGLE = Math.toRadians(10);
    private static final double MAX_SCALE_CHANGE = 0.1;
    /** Grid coordinates span [-1, 1] over 28 pixels: 2 pixels are 4/28. */
    private static final double MAX_SHIFT = 4.0 / 28;

    private Augmentation() {}

    /** float [N,1,28,28] in [0,1] → the same, each image randomly transformed. */
    static Tensor apply(Tensor unitImages) {
        long n = unitImages.size(0);
        TensorOptions options = new TensorOptions(torch.ScalarType.Float).device(
                new org.bytedeco.pytorch.DeviceOptional(unitImages.device()));
        Tensor angle = uniform(n, -MAX_ANGLE, MAX_ANGLE, options);
        Tensor scale = uniform(n, 1 - MAX_SCALE_CHANGE, 1 + MAX_SCALE_CHANGE, options);
        Tensor cos = angle.cos().mul_(scale);
        Tensor sin = angle.sin().mul_(scale);
        // theta maps each output pixel's coordinates to where it samples the input: [[c, -s, tx], [s, c, ty]]
        Tensor theta = torch.empty(new long[] {n, 2, 3}, options, null);
        theta.select(1, 0).select(1, 0).copy_(cos);
        theta.select(1, 0).select(1, 1).copy_(sin.neg());
        theta.select(1, 0).select(1, 2).copy_(uniform(n, -MAX_SHIFT, MAX_SHIFT, options));
        theta.select(1, 1).select(1, 0).copy_(sin);
        theta.select(1, 1).select(1, 1).copy_(cos);
        theta.select(1, 1).select(1, 2).copy_(uniform(n, -MAX_SHIFT, MAX_SHIFT, options));
        Tensor grid = torch.affine_grid(theta, new long[] {n, 1, unitImages.size(2), unitImages.size(3)}, false);
        return torch.grid_sampler(unitImages.contiguous(), grid, 0 /* bilinear */, 0 /* zeros */, false);
    }

    private static Tensor uniform(long n, double from, double to, TensorOptions options) {
        return torch.empty(new long[] {n}, options, null).uniform_(from, to, new GeneratorOptional());
    }
}
