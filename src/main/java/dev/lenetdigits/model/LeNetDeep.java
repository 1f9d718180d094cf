package dev.lenetdigits.model;

import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * A LeNet with three convolution-and-pooling stages of 3×3 convolutions, batch normalisation and dropout,
 * then two fully connected layers:
 * [CONV 32@3×3 → BN → RELU → CONV 32@3×3 → BN → RELU → POOL → DROPOUT] (28 → 14)
 * → [CONV 64@3×3 → BN → RELU → CONV 64@3×3 → BN → RELU → POOL → DROPOUT] (14 → 7)
 * → [CONV 128@3×3 → BN → RELU → POOL → DROPOUT] (7 → 4, the last row and column pooled alone)
 * → FC 256 → BN → RELU → DROPOUT → FC 10 → log-softmax.
 *
 * <p>It costs about as much per digit as {@link LeNetPlus} but sees digits through smaller first filters and
 * one more stage: a second kind of ensemble member, whose mistakes should differ more from lenet-plus's than
 * another lenet-plus seed's do.
 */
public final class LeNetDeep extends DigitNetwork {
    public static final String ARCHITECTURE = "lenet-deep";

    private final Blocks.Stage stage1;
    private final Blocks.Stage stage2;
    private final Blocks.Stage stage3;
    private final Blocks.Head head;

    public LeNetDeep() {
        Blocks.ConvBnRelu conv1a = new Blocks.ConvBnRelu(this, "1a", 1, 32, 3);
        Blocks.ConvBnRelu conv1b = new Blocks.ConvBnRelu(this, "1b", 32, 32, 3);
        Blocks.ConvBnRelu conv2a = new Blocks.ConvBnRelu(this, "2a", 32, 64, 3);
        Blocks.ConvBnRelu conv2b = new Blocks.ConvBnRelu(this, "2b", 64, 64, 3);
        Blocks.ConvBnRelu conv3 = new Blocks.ConvBnRelu(this, "3", 64, 128, 3);
        DropoutImpl dropConv = register_module("drop_conv", new DropoutImpl(0.25));
        head = new Blocks.Head(this, 128 * 4 * 4, 256, 0.4);
        stage1 = new Blocks.Stage(dropConv, false, conv1a, conv1b);
        stage2 = new Blocks.Stage(dropConv, false, conv2a, conv2b);
        stage3 = new Blocks.Stage(dropConv, true, conv3);
        useChannelsLast();
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }

    @Override
    protected Tensor[] convolutionWeights() {
        return Blocks.convolutionWeights(stage1, stage2, stage3);
    }

    @Override
    public Tensor forward(Tensor x) {
        return head.forward(stage3.forward(stage2.forward(stage1.forward(asChannelsLast(x)))));
    }
}
