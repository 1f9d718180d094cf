package dev.lenetdigits.model;

import dev.lenetdigits.model.Blocks.ConvBnRelu;
import dev.lenetdigits.model.Blocks.Stage;

import java.util.List;

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
public final class LeNetDeep extends StagedNetwork {
    public static final String ARCHITECTURE = "lenet-deep";

    public LeNetDeep() {
        build(List.of(
                new Stage(false, new ConvBnRelu(this, "1a", 1, 32, 3), new ConvBnRelu(this, "1b", 32, 32, 3)),
                new Stage(false, new ConvBnRelu(this, "2a", 32, 64, 3), new ConvBnRelu(this, "2b", 64, 64, 3)),
                new Stage(true, new ConvBnRelu(this, "3", 64, 128, 3))),
                128 * 4 * 4);
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }
}
