package dev.lenetdigits.training;

import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Random rotation, scale and shift of every image in a batch within {@link AugmentationOptions}' bounds
 * (by default ±10°, 0.9–1.1, ±2 pixels), optionally with an elastic distortion on top (Simard et al. 2003:
 * uniform noise per pixel, blurred by a Gaussian, as a displacement field). Done on the batch's device with one sampling grid and one bilinear resampling;
 * seeded through libtorch's generator. Works on images scaled to [0,1] with 0 as paper, so the border that
 * moves in is paper.
 */
final class Augmentation {
    private Augmentation() {}

    /**
     * float [N,1,H,W] in [0,1] → the same, each image randomly rotated, scaled and shifted, then (when
     * {@code bounds.elasticAlpha()} is above 0) distorted elastically by about α·0.16/σ pixels (rms).
     */
    static Tensor apply(Tensor unitImages, AugmentationOptions bounds) {
        long n = unitImages.size(0);
        long height = unitImages.size(2);
        long width = unitImages.size(3);
        TensorOptions options = new TensorOptions(torch.ScalarType.Float).device(
                new DeviceOptional(unitImages.device()));
        double maxAngle = Math.toRadians(bounds.rotationDegrees());
        // Grid coordinates span [-1, 1] across the image: a shift of p pixels is 2p/width grid units.
        double maxShiftX = 2 * bounds.shiftPixels() / width;
        double maxShiftY = 2 * bounds.shiftPixels() / height;
        Tensor angle = uniform(n, -maxAngle, maxAngle, options);
        Tensor scale = uniform(n, 1 - bounds.zoom(), 1 + bounds.zoom(), options);
        Tensor cos = angle.cos().mul_(scale);
        Tensor sin = angle.sin().mul_(scale);
        // theta maps each output pixel's coordinates to where it samples the input: [[c, -s, tx], [s, c, ty]]
        Tensor theta = torch.empty(new long[] {n, 2, 3}, options, null);
        theta.select(1, 0).select(1, 0).copy_(cos);
        theta.select(1, 0).select(1, 1).copy_(sin.neg());
        theta.select(1, 0).select(1, 2).copy_(uniform(n, -maxShiftX, maxShiftX, options));
        theta.select(1, 1).select(1, 0).copy_(sin);
        theta.select(1, 1).select(1, 1).copy_(cos);
        theta.select(1, 1).select(1, 2).copy_(uniform(n, -maxShiftY, maxShiftY, options));
        Tensor grid = torch.affine_grid(theta, new long[] {n, 1, height, width}, false);
        if (bounds.elasticAlpha() > 0) {
            grid = grid.add(elasticDisplacement(n, height, width, bounds.elasticAlpha(), bounds.elasticSigma(), options));
        }
        return torch.grid_sampler(unitImages.contiguous(), grid, 0 /* bilinear */, 0 /* zeros */, false);
    }

    /**
     * A smooth random displacement field [N,H,W,2] in grid units: noise uniform in [-1,1] for each pixel
     * and direction, blurred by a Gaussian of width {@code sigma} pixels (zero beyond the border), times
     * {@code alpha} pixels.
     */
    static Tensor elasticDisplacement(long n, long height, long width, double alpha, double sigma,
                                      TensorOptions options) {
        long radius = (long) Math.ceil(3 * sigma);
        Tensor offsets = torch.arange(new Scalar(-radius), new Scalar(radius + 1), options);
        Tensor gaussian = offsets.mul(offsets).div_(new Scalar(-2 * sigma * sigma)).exp_();
        gaussian.div_(gaussian.sum());
        long size = 2 * radius + 1;
        Tensor noise = torch.empty(new long[] {2 * n, 1, height, width}, options, null)
                .uniform_(-1, 1, new GeneratorOptional());
        // The Gaussian is separable: blur down the columns, then along the rows.
        Tensor blurred = torch.conv2d(noise, gaussian.view(1, 1, size, 1), new TensorOptional(),
                new long[] {1, 1}, new long[] {radius, 0}, new long[] {1, 1}, 1);
        blurred = torch.conv2d(blurred, gaussian.view(1, 1, 1, size), new TensorOptional(),
                new long[] {1, 1}, new long[] {0, radius}, new long[] {1, 1}, 1);
        // Channel 0 moves along x (width), channel 1 along y; 2 grid units span the image (align_corners=false).
        Tensor field = blurred.view(n, 2, height, width).permute(0, 2, 3, 1).contiguous();
        field.select(3, 0).mul_(new Scalar(alpha * 2 / width));
        field.select(3, 1).mul_(new Scalar(alpha * 2 / height));
        return field;
    }

    private static Tensor uniform(long n, double from, double to, TensorOptions options) {
        return torch.empty(new long[] {n}, options, null).uniform_(from, to, new GeneratorOptional());
    }
}
