package dev.lenetdigits.model;

import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import static org.bytedeco.pytorch.global.torch.log_softmax;
import static org.bytedeco.pytorch.global.torch.max_pool2d;
import static org.bytedeco.pytorch.global.torch.relu;

/**
 * A LeNet with three convolution-and-pooling stages of 3×3 convolutions, batch normalisation and dropout,
 * then two fully connected layers:
 * [CONV 32@3×3 → BN → RELU → CONV 32@3×3 → BN → RELU → POOL → DROPOUT] (28 → 14)
 * → [CONV 64@3×3 → BN → RELU → CONV 64@3×3 → BN → RELU → POOL → DROPOUT] (14 → 7)
 * → [CONV 128@3×3 → BN → RELU → POOL → DROPOUT] (7 → 4, the last row and column pooled alone)
 * → FC 256 → BN → RELU → DROPOUT → FC 10 → log-softmax.
 *
 * <p>It costs about as much per digit as {@link LeNetPlus} (22 against 19 million multiply-adds) but sees
 * digits through smaller first filters and one more stage: a second kind of ensemble member, whose mistakes
 * should differ more from lenet-plus's than another lenet-plus seed's do.
 */
public final class LeNetDeep extends DigitNetwork {
    public static final String ARCHITECTURE = "lenet-deep";

    private static final long[] POOL = {2, 2};
    private static final long[] NO_PADDING = {0, 0};
    private static final long[] NO_DILATION = {1, 1};

    private final Conv2dImpl conv1a;
    private final Conv2dImpl conv1b;
    private final Conv2dImpl conv2a;
    private final Conv2dImpl conv2b;
    private final Conv2dImpl conv3;
    private final BatchNorm2dImpl bn1a;
    private final BatchNorm2dImpl bn1b;
    private final BatchNorm2dImpl bn2a;
    private final BatchNorm2dImpl bn2b;
    private final BatchNorm2dImpl bn3;
    private final LinearImpl fc1;
    private final BatchNorm1dImpl bnFc1;
    private final LinearImpl fc2;
    private final DropoutImpl dropConv;
    private final DropoutImpl dropFc;

    public LeNetDeep() {
        conv1a = register_module("conv1a", new Conv2dImpl(LeNet.convolution(1, 32, 3)));
        bn1a = register_module("bn1a", new BatchNorm2dImpl(new BatchNormOptions(32)));
        conv1b = register_module("conv1b", new Conv2dImpl(LeNet.convolution(32, 32, 3)));
        bn1b = register_module("bn1b", new BatchNorm2dImpl(new BatchNormOptions(32)));
        conv2a = register_module("conv2a", new Conv2dImpl(LeNet.convolution(32, 64, 3)));
        bn2a = register_module("bn2a", new BatchNorm2dImpl(new BatchNormOptions(64)));
        conv2b = register_module("conv2b", new Conv2dImpl(LeNet.convolution(64, 64, 3)));
        bn2b = register_module("bn2b", new BatchNorm2dImpl(new BatchNormOptions(64)));
        conv3 = register_module("conv3", new Conv2dImpl(LeNet.convolution(64, 128, 3)));
        bn3 = register_module("bn3", new BatchNorm2dImpl(new BatchNormOptions(128)));
        fc1 = register_module("fc1", new LinearImpl(128 * 4 * 4, 256));
        bnFc1 = register_module("bn_fc1", new BatchNorm1dImpl(new BatchNormOptions(256)));
        fc2 = register_module("fc2", new LinearImpl(256, 10));
        dropConv = register_module("drop_conv", new DropoutImpl(0.25));
        dropFc = register_module("drop_fc", new DropoutImpl(0.4));
        useChannelsLast();
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }

    @Override
    protected Tensor[] convolutionWeights() {
        return new Tensor[] {conv1a.weight(), conv1b.weight(), conv2a.weight(), conv2b.weight(), conv3.weight()};
    }

    @Override
    public Tensor forward(Tensor x) {
        x = asChannelsLast(x);
        x = relu(bn1a.forward(conv1a.forward(x)));
        x = dropConv.forward(max_pool2d(relu(bn1b.forward(conv1b.forward(x))), 2, 2));
        x = relu(bn2a.forward(conv2a.forward(x)));
        x = dropConv.forward(max_pool2d(relu(bn2b.forward(conv2b.forward(x))), 2, 2));
        // ceil mode: 7×7 pools to 4×4 rather than dropping the last row and column
        x = dropConv.forward(max_pool2d(relu(bn3.forward(conv3.forward(x))), POOL, POOL, NO_PADDING, NO_DILATION, true));
        x = dropFc.forward(relu(bnFc1.forward(fc1.forward(x.flatten(1, -1)))));
        // float32 scores even under bfloat16 autocast, so the probabilities and the loss are never rounded
        return log_softmax(fc2.forward(x).to(torch.ScalarType.Float), 1);
    }
}
