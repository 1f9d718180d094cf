package dev.lenetdigits.model;

import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * A wider LeNet with batch normalisation and dropout, still convolution-and-pooling stages followed by
 * fully connected layers:
 * [CONV 32@5×5 → BN → RELU → CONV 32@3×3 → BN → RELU → POOL → DROPOUT]
 * → [CONV 64@3×3 → BN → RELU → CONV 64@3×3 → BN → RELU → POOL → DROPOUT]
 * → FC 256 → BN → RELU → DROPOUT → FC 10 → log-softmax.
 */
public final class LeNetPlus extends DigitNetwork {
    public static final String ARCHITECTURE = "lenet-plus";

    private final Blocks.Stage stage1;
    private final Blocks.Stage stage2;
    private final Blocks.Head head;

    public LeNetPlus() {
        Blocks.ConvBnRelu conv1a = new Blocks.ConvBnRelu(this, "1a", 1, 32, 5);
        Blocks.ConvBnRelu conv1b = new Blocks.ConvBnRelu(this, "1b", 32, 32, 3);
        Blocks.ConvBnRelu conv2a = new Blocks.ConvBnRelu(this, "2a", 32, 64, 3);
        Blocks.ConvBnRelu conv2b = new Blocks.ConvBnRelu(this, "2b", 64, 64, 3);
        DropoutImpl dropConv = register_module("drop_conv", new DropoutImpl(0.25));
        head = new Blocks.Head(this, 64 * 7 * 7, 256, 0.4);
        stage1 = new Blocks.Stage(dropConv, false, conv1a, conv1b);
        stage2 = new Blocks.Stage(dropConv, false, conv2a, conv2b);
        useChannelsLast();
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }

    @Override
    protected Tensor[] convolutionWeights() {
        return Blocks.convolutionWeights(stage1, stage2);
    }

    @Override
    public Tensor forward(Tensor x) {
        return head.forward(stage2.forward(stage1.forward(asChannelsLast(x))));
    }
}
