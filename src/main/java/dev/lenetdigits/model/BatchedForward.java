package dev.lenetdigits.model;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;

/**
 * Runs a network over a whole uint8 image tensor in large batches, without autograd, freeing each batch's
 * native memory before the next. Validation and inference both go through here.
 */
public final class BatchedForward {
    /** Receives each batch's log-probabilities [n,10]; the tensor is freed when the call returns. */
    @FunctionalInterface
    public interface BatchConsumer {
        void accept(long start, long count, Tensor logProbabilities);
    }

    private BatchedForward() {}

    public static void run(DigitNetwork network, InputNormalization normalization, Tensor uint8Images, int batchSize,
                           BatchConsumer consumer) {
        // Only a network in training mode is switched (and switched back): one already in evaluation mode
        // is only read, so several threads may run it at once (see inference.DigitClassifier).
        boolean wasTraining = network.is_training();
        if (wasTraining) {
            network.eval();
        }
        try {
            long n = uint8Images.size(0);
            for (long start = 0; start < n; start += batchSize) {
                long count = Math.min(batchSize, n - start);
                try (PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
                    Tensor x = normalization.apply(uint8Images.narrow(0, start, count));
                    consumer.accept(start, count, network.forward(x));
                }
            }
        } finally {
            if (wasTraining) {
                network.train(true);
            }
        }
    }
}
