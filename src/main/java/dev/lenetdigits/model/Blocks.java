package dev.lenetdigits.model;

import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

import java.util.List;

import static org.bytedeco.pytorch.global.torch.max_pool2d;
import static org.bytedeco.pytorch.global.torch.relu;

/**
 * The parts {@link LeNetPlus} and {@link LeNetDeep} are built from: stages of convolutions with batch norm,
 * and the fully connected head. A part registers its layers on the network itself, under the names it is
 * given (conv1a, bn1a, …, fc1, bn_fc1, fc2), so that the parameters keep the names and the order that model
 * files and checkpoints have always had.
 */
final class Blocks {
    private static final long[] POOL = {2, 2};
    private static final long[] NO_PADDING = {0, 0};
    private static final long[] NO_DILATION = {1, 1};

    private Blocks() {}

    /** CONV k×k with "same" padding → batch norm → ReLU, registered as {@code conv<id>} and {@code bn<id>}. */
    static final class ConvBnRelu {
        private final Conv2dImpl conv;
        private final BatchNorm2dImpl bn;

        ConvBnRelu(Module network, String id, long in, long out, long kernel) {
            conv = network.register_module("conv" + id, new Conv2dImpl(LeNet.convolution(in, out, kernel)));
            bn = network.register_module("bn" + id, new BatchNorm2dImpl(new BatchNormOptions(out)));
        }

        Tensor forward(Tensor x) {
            return relu(bn.forward(conv.forward(x)));
        }
    }

    /**
     * Convolutions in a row, then 2×2 max-pooling. With {@code ceil}, an odd size pools its last row and
     * column alone (7×7 → 4×4) rather than dropping them.
     */
    static final class Stage {
        private final List<ConvBnRelu> convolutions;
        private final boolean ceil;

        Stage(boolean ceil, ConvBnRelu... convolutions) {
            this.convolutions = List.of(convolutions);
            this.ceil = ceil;
        }

        Tensor forward(Tensor x) {
            for (ConvBnRelu convolution : convolutions) {
                x = convolution.forward(x);
            }
            return ceil ? max_pool2d(x, POOL, POOL, NO_PADDING, NO_DILATION, true) : MaxPooling.pool2x2(x);
        }

        /** The convolutions' weights, to be kept channels-last. */
        Tensor[] convolutionWeights() {
            return convolutions.stream().map(c -> c.conv.weight()).toArray(Tensor[]::new);
        }
    }

    /**
     * FC → batch norm → ReLU → dropout → FC 10, registered as fc1, bn_fc1, fc2 and drop_fc; gives
     * log-probabilities.
     */
    static final class Head {
        private final LinearImpl fc1;
        private final BatchNorm1dImpl bnFc1;
        private final LinearImpl fc2;
        private final DropoutImpl dropout;

        Head(Module network, long in, long hidden, double dropout) {
            fc1 = network.register_module("fc1", new LinearImpl(in, hidden));
            bnFc1 = network.register_module("bn_fc1", new BatchNorm1dImpl(new BatchNormOptions(hidden)));
            fc2 = network.register_module("fc2", new LinearImpl(hidden, 10));
            this.dropout = network.register_module("drop_fc", new DropoutImpl(dropout));
        }

        Tensor forward(Tensor x) {
            x = dropout.forward(relu(bnFc1.forward(fc1.forward(x.flatten(1, -1)))));
            return DigitNetwork.logProbabilities(fc2.forward(x));
        }
    }
}
