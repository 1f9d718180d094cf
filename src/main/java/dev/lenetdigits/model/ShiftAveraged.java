package dev.lenetdigits.model;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Test-time augmentation: a trained network asked five times, for each digit as it is and moved by one
 * pixel up, down, left and right, with the averaged probabilities as its answer. Only used for prediction
 * (it is never saved); it costs five forward passes per digit.
 */
public final class ShiftAveraged extends DigitNetwork {
    /** {row shift, column shift} of each view. */
    private static final long[][] SHIFTS = {{0, 0}, {-1, 0}, {1, 0}, {0, -1}, {0, 1}};

    private final DigitNetwork network;
    /** What a blank pixel becomes after normalisation: the paper that moves in at the border. */
    private final double paper;

    public ShiftAveraged(DigitNetwork network, InputNormalization normalization) {
        this.network = register_module("network", network);
        this.paper = (0 - normalization.mean()) / normalization.std();
    }

    /** The network wrapped when {@code on}, else the network itself. */
    public static DigitNetwork around(DigitNetwork network, InputNormalization normalization, boolean on) {
        return on ? new ShiftAveraged(network, normalization) : network;
    }

    @Override
    public String architecture() {
        return network.architecture();
    }

    @Override
    protected Tensor[] convolutionWeights() {
        return network.convolutionWeights();
    }

    @Override
    public Tensor forward(Tensor x) {
        return logMeanProbability(x, SHIFTS.length,
                i -> network.forward(shifted(shifted(x, SHIFTS[i][0], 2), SHIFTS[i][1], 3)));
    }

    /** Moves the images by {@code by} pixels along {@code dim}; the row or column that wraps round becomes paper. */
    private Tensor shifted(Tensor x, long by, long dim) {
        if (by == 0) {
            return x;
        }
        Tensor moved = x.roll(new long[] {by}, dim);
        long side = x.size(dim);
        moved.narrow(dim, by > 0 ? 0 : side + by, Math.abs(by)).fill_(new Scalar(paper));
        return moved;
    }
}
