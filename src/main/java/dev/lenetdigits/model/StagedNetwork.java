package dev.lenetdigits.model;

import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.Tensor;

import java.util.List;

/**
 * lenet-plus and lenet-deep: stages of convolutions with batch norm ({@link Blocks.Stage}), each followed by
 * dropout, then the fully connected head ({@link Blocks.Head}). A subclass's constructor makes its stages on
 * itself and hands them to {@link #build}.
 */
abstract class StagedNetwork extends DigitNetwork {
    private static final double STAGE_DROPOUT = 0.25;
    private static final double HEAD_DROPOUT = 0.4;
    private static final long HIDDEN = 256;

    private List<Blocks.Stage> stages;
    private DropoutImpl dropout;
    private Blocks.Head head;

    /**
     * Registers the dropout and the head after the stages' layers; {@code flattened} is what the last stage
     * puts out per digit (channels × height × width).
     */
    protected final void build(List<Blocks.Stage> convolutionStages, long flattened) {
        stages = convolutionStages;
        dropout = register_module("drop_conv", new DropoutImpl(STAGE_DROPOUT));
        head = new Blocks.Head(this, flattened, HIDDEN, HEAD_DROPOUT);
        useChannelsLast();
    }

    @Override
    protected final Tensor[] convolutionWeights() {
        return stages.stream().flatMap(s -> List.of(s.convolutionWeights()).stream()).toArray(Tensor[]::new);
    }

    @Override
    public final Tensor forward(Tensor x) {
        x = asChannelsLast(x);
        for (Blocks.Stage stage : stages) {
            x = dropout.forward(stage.forward(x));
        }
        return head.forward(x);
    }
}
