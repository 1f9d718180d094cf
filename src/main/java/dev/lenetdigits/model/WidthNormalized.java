package dev.lenetdigits.model;

import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * A network that sees every digit stretched or squeezed along x until its ink is a fixed number of pixels
 * wide, about the middle of its bounding box (so it does not move). MNIST's digits all fill 20 pixels of
 * height but vary in width; Ciresan et al. (2012) trained committee members on digits normalised to widths
 * of 10 to 20 pixels, so that each member errs on other digits. Architecture name: the wrapped network's
 * plus {@value #SUFFIX}N.
 */
public final class WidthNormalized extends InkView {
    public static final String SUFFIX = "+width";
    public static final int MIN_WIDTH = 4;
    public static final int MAX_WIDTH = 28;
    /** A column is ink when its brightest pixel is above this share of the image's brightest. */
    private static final double INK_SHARE = 0.25;
    /** Stretch at most this much (a lone 1 is 2-4 pixels wide) and squeeze at most by its inverse. */
    private static final double MAX_STRETCH = 8;

    private final int width;

    /** @param width the width in pixels every digit is scaled to, {@value #MIN_WIDTH}-{@value #MAX_WIDTH} */
    public WidthNormalized(DigitNetwork network, int width) {
        super(network);
        if (width < MIN_WIDTH || width > MAX_WIDTH) {
            throw new IllegalArgumentException("width " + width);
        }
        this.width = width;
    }

    @Override
    protected String view() {
        return SUFFIX.substring(1) + width;
    }

    @Override
    protected Tensor transform(Tensor x) {
        return normalize(x, width);
    }

    /**
     * Images [N,1,H,W] → the same, each scaled along x about the middle of its ink's bounding box so that the
     * box is {@code target} pixels wide. A blank image stays blank.
     */
    public static Tensor normalize(Tensor x, int target) {
        return resampleInk(x, ink -> stretch(ink, target));
    }

    private static Tensor stretch(Tensor ink, int target) {
        long n = ink.size(0);
        long columns = ink.size(3);
        TensorOptions options = new TensorOptions(torch.ScalarType.Float).device(new DeviceOptional(ink.device()));
        // [N,1,1,W]: 1 where a column holds ink, else 0
        Tensor inked = ink.amax(new long[] {2}, true).gt(ink.amax(IMAGE_DIMS, true).mul(new Scalar(INK_SHARE)))
                .to(torch.ScalarType.Float);
        Tensor index = torch.arange(new Scalar(columns), options).view(1, 1, 1, columns);
        // first and last inked column: columns without ink are pushed past the other end before min and max
        Tensor blankPenalty = inked.neg().add(new Scalar(1.0)).mul_(new Scalar(2.0 * columns));
        Tensor left = index.add(blankPenalty).amin(IMAGE_DIMS, false);
        Tensor right = index.sub(blankPenalty).amax(IMAGE_DIMS, false);
        Tensor inkWidth = right.sub(left).add_(new Scalar(1.0)).clamp_min(new Scalar(1.0));
        Tensor stretch = inkWidth.reciprocal().mul_(new Scalar((double) target))
                .clamp(new ScalarOptional(new Scalar(1 / MAX_STRETCH)), new ScalarOptional(new Scalar(MAX_STRETCH)));
        // The box's middle in affine_grid's units (pixel c sits at (2c+1)/W − 1); a blank image's "box" runs
        // from +2W to −2W, whose middle is the image's.
        Tensor middle = left.add(right).add_(new Scalar(1.0)).div_(new Scalar((double) columns)).sub_(new Scalar(1.0));
        // Output x reads input middle + (x − middle)/stretch; y is unchanged.
        Tensor shrink = stretch.reciprocal();
        Tensor theta = torch.zeros(new long[] {n, 2, 3}, options);
        theta.select(1, 0).select(1, 0).copy_(shrink);
        theta.select(1, 0).select(1, 2).copy_(shrink.neg().add_(new Scalar(1.0)).mul_(middle));
        theta.select(1, 1).select(1, 1).fill_(new Scalar(1.0));
        return theta;
    }
}
