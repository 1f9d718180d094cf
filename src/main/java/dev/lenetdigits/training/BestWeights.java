package dev.lenetdigits.training;

import dev.lenetdigits.model.DigitNetwork;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * With {@code --restore-best}: a copy of the weights (and batch-norm statistics) of the epoch with the best
 * validation accuracy, carried by the checkpoints, put back into the network when training ends.
 */
final class BestWeights {
    private EpochResult best;
    /** Parameters then buffers, in the network's order, so a checkpoint can carry them as a list. */
    private final List<Tensor> saved = new ArrayList<>();

    /** Keeps a copy of the network's weights when {@code candidate} is the best epoch so far. */
    void offer(DigitNetwork network, EpochResult candidate) {
        if (Double.isNaN(candidate.validationAccuracy())
                || (best != null && candidate.validationAccuracy() <= best.validationAccuracy())) {
            return;
        }
        best = candidate;
        saved.clear();
        forEachState(network, t -> saved.add(t.detach().clone()));
    }

    /** Takes up the copy a checkpoint kept; its epoch is the history's first best, as {@link #offer} chose. */
    void resume(Checkpoints.State state) {
        if (state.bestWeights().isEmpty()) {
            return;
        }
        saved.addAll(state.bestWeights());
        for (EpochResult r : state.history()) {
            if (!Double.isNaN(r.validationAccuracy())
                    && (best == null || r.validationAccuracy() > best.validationAccuracy())) {
                best = r;
            }
        }
    }

    /** The best epoch so far, or null when no epoch was measured on validation digits. */
    EpochResult best() {
        return best;
    }

    /** The kept copy, for a checkpoint (empty before the first measured epoch). */
    List<Tensor> weights() {
        return List.copyOf(saved);
    }

    void restoreInto(DigitNetwork network) {
        try (NoGradGuard guard = new NoGradGuard()) {
            Iterator<Tensor> copies = saved.iterator();
            forEachState(network, t -> t.copy_(copies.next()));
        }
    }

    private static void forEachState(DigitNetwork network, Consumer<Tensor> action) {
        var parameters = network.parameters();
        for (long i = 0; i < parameters.size(); i++) {
            action.accept(parameters.get(i));
        }
        var buffers = network.buffers();
        for (long i = 0; i < buffers.size(); i++) {
            action.accept(buffers.get(i));
        }
    }
}
