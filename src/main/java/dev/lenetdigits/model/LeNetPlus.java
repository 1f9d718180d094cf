package dev.lenetdigits.model;

import dev.lenetdigits.model.Blocks.ConvBnRelu;
import dev.lenetdigits.model.Blocks.Stage;

import java.util.List;

/**
 * A wider LeNet with batch normalisation and dropout, still convolution-and-pooling stages followed by
 * fully connected layers:
 * [CONV 32@5×5 → BN → RELU → CONV 32@3×3 → BN → RELU → POOL → DROPOUT]
 * → [CONV 64@3×3 → BN → RELU → CONV 64@3×3 → BN → RELU → POOL → DROPOUT]
 * → FC 256 → BN → RELU → DROPOUT → FC 10 → log-softmax.
 */
public final class LeNetPlus extends StagedNetwork {
    public static final String ARCHITECTURE = "lenet-plus";

    public LeNetPlus() {
        build(List.of(
                new Stage(false, new ConvBnRelu(this, "1a", 1, 32, 5), new ConvBnRelu(this, "1b", 32, 32, 3)),
                new Stage(false, new ConvBnRelu(this, "2a", 32, 64, 3), new ConvBnRelu(this, "2b", 64, 64, 3))),
                64 * 7 * 7);
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }
}
