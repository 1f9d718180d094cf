package dev.lenetdigits.model;

import dev.lenetdigits.bench.ProcessMemory;
import dev.lenetdigits.device.NativeRuntime;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An ensemble with test-time augmentation runs many forward passes per batch; each pass's intermediate
 * tensors must be freed before the next, not when the caller's scope ends. (Measured with 10 lenet-plus
 * members and --tta on 500 digits: 12.5 GB resident when the passes were kept, 0.67 GB when freed.)
 */
class AveragedForwardMemoryTest {
    @Test
    void twentyPassesOfABatchNeedAboutOnePassOfMemory() {
        NativeRuntime.load();
        List<DigitNetwork> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            members.add(new LeNetPlus());
        }
        DigitNetwork network = new ShiftAveraged(new Ensemble(members), InputNormalization.MNIST);
        network.eval();
        Tensor batch = torch.rand(128, 1, 28, 28);
        long grown;
        try (PointerScope caller = new PointerScope(); InferenceMode guard = new InferenceMode()) {
            network.forward(batch); // first pass: the allocator's pools and the kernels' scratch space
            long before = ProcessMemory.residentBytes();
            Tensor out = network.forward(batch); // 4 members × 5 views, all still inside the caller's scope
            grown = ProcessMemory.residentBytes() - before;
            assertEquals(List.of(128L, 10L), List.of(out.size(0), out.size(1)));
        }
        // Measured here: 0.2 MB with each pass freed; 2481 MB when the caller's scope kept all twenty.
        System.out.printf("20 forward passes of 128 digits: resident memory grew %.1f MB%n", grown / 1e6);
        assertTrue(grown < 400_000_000, "resident memory grew " + grown / 1e6 + " MB over 20 passes");
    }
}
