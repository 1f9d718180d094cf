package dev.lenetdigits.model;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.function.UnaryOperator;

/**
 * A network that sees every digit moved by an affine map of its own, worked out from the digit's ink (see
 * {@link Deskewed}, {@link WidthNormalized}). The map is applied inside {@link #forward}: after training's
 * random augmentation and before every prediction alike, so a model file needs nothing else to predict.
 * Its name is the wrapped network's plus "+" and the view's; its weights are the wrapped network's under
 * {@code network.}.
 */
abstract class InkView extends DigitNetwork {
    static final long[] IMAGE_DIMS = {1, 2, 3};

    private final DigitNetwork network;

    InkView(DigitNetwork network) {
        this.network = register_module("network", network);
    }

    /** The view's name in the architecture, e.g. "deskew". */
    protected abstract String view();

    /** The images as this network sees them. */
    protected abstract Tensor transform(Tensor x);

    @Override
    public final String architecture() {
        return network.architecture() + "+" + view();
    }

    @Override
    protected final Tensor[] convolutionWeights() {
        return network.convolutionWeights();
    }

    @Override
    public final Tensor forward(Tensor x) {
        return network.forward(transform(x));
    }

    /**
     * Images [N,1,H,W] (any affine scaling of the pixels, the paper being each image's darkest value: MNIST
     * digits have a margin) → the same, each image's ink resampled (bilinear) through the map {@code theta}
     * gives for it: ink [N,1,H,W] (0 = paper) → [N,2,3] in affine_grid's units (align_corners false: x runs
     * from -1 to 1 across the width, y across the height; the map takes an output point to where it reads).
     * Paper comes in at the border.
     */
    static Tensor resampleInk(Tensor x, UnaryOperator<Tensor> theta) {
        Tensor paper = x.amin(IMAGE_DIMS, true);
        Tensor ink = x.sub(paper);
        Tensor grid = torch.affine_grid(theta.apply(ink), new long[] {x.size(0), 1, x.size(2), x.size(3)}, false);
        return torch.grid_sampler(ink.contiguous(), grid, 0 /* bilinear */, 0 /* zeros */, false).add_(paper);
    }
}
