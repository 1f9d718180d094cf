package dev.lenetdigits.model;

import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * A network that sees every digit deskewed: sheared along x so that its ink's principal axis stands
 * upright (the classic moment-based deskew of MNIST; Ciresan et al. 2012 trained committee members on
 * differently normalised digits so that they err on different ones). The shear is about the ink's centre
 * of mass, so the digit does not move. Architecture name: the wrapped network's plus {@value #SUFFIX}.
 */
public final class Deskewed extends InkView {
    public static final String SUFFIX = "+deskew";
    /** At most one pixel across per pixel down (45°): more is not slant but a lone diagonal stroke. */
    private static final double MAX_SHEAR = 1.0;

    public Deskewed(DigitNetwork network) {
        super(network);
    }

    @Override
    protected String view() {
        return SUFFIX.substring(1);
    }

    @Override
    protected Tensor transform(Tensor x) {
        return deskew(x);
    }

    /**
     * Images [N,1,H,W] → the same, each sheared so that the covariance of its ink's rows and columns is zero.
     * The shear factor is mu11/mu02 of the ink's central moments (row-column covariance over row variance);
     * a blank image is left as it is.
     */
    public static Tensor deskew(Tensor x) {
        return resampleInk(x, Deskewed::shear);
    }

    private static Tensor shear(Tensor ink) {
        long n = ink.size(0);
        long height = ink.size(2);
        long width = ink.size(3);
        TensorOptions options = new TensorOptions(torch.ScalarType.Float).device(new DeviceOptional(ink.device()));
        Tensor rows = torch.arange(new Scalar(height), options).view(1, 1, height, 1);
        Tensor columns = torch.arange(new Scalar(width), options).view(1, 1, 1, width);
        Tensor mass = ink.sum(IMAGE_DIMS, true, new ScalarTypeOptional()).clamp_min(new Scalar(1e-6));
        Tensor centerRow = weightedMean(ink.mul(rows), mass);
        Tensor centerColumn = weightedMean(ink.mul(columns), mass);
        Tensor dy = rows.sub(centerRow);
        Tensor dx = columns.sub(centerColumn);
        Tensor rowVariance = weightedMean(ink.mul(dy).mul_(dy), mass);
        Tensor covariance = weightedMean(ink.mul(dy).mul_(dx), mass);
        // [N]: how far x moves per row below the centre (a blank image has no variance and gets 0)
        Tensor shear = covariance.div(rowVariance.clamp_min(new Scalar(1e-3)))
                .clamp(new ScalarOptional(new Scalar(-MAX_SHEAR)), new ScalarOptional(new Scalar(MAX_SHEAR)))
                .view(n);
        // Output pixel (r, c) reads input (r, c + shear·(r − centreRow)). In affine_grid's units that is
        // x_in = x_out + shear·(H/W)·y_out + shear·(2/W)·((H−1)/2 − centreRow), y_in = y_out.
        Tensor theta = torch.zeros(new long[] {n, 2, 3}, options);
        theta.select(1, 0).select(1, 0).fill_(new Scalar(1.0));
        theta.select(1, 1).select(1, 1).fill_(new Scalar(1.0));
        theta.select(1, 0).select(1, 1).copy_(shear.mul(new Scalar((double) height / width)));
        theta.select(1, 0).select(1, 2).copy_(centerRow.view(n).neg().add(new Scalar((height - 1) / 2.0))
                .mul_(shear).mul_(new Scalar(2.0 / width)));
        return theta;
    }

    /** [N,1,H,W] products with the ink → [N,1,1,1] means weighted by the ink. */
    private static Tensor weightedMean(Tensor weighted, Tensor mass) {
        return weighted.sum(IMAGE_DIMS, true, new ScalarTypeOptional()).div_(mass);
    }
}
