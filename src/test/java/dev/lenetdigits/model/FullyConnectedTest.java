package dev.lenetdigits.model;

import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.device.NativeRuntime;
import dev.lenetdigits.device.Precision;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FullyConnectedTest {
    @Test
    void oneDnnProductMatchesLinearForwardAndBackward() {
        NativeRuntime.load();
        torch.manual_seed(3);
        LinearImpl layer = new LinearImpl(2450, 500);
        Tensor x = torch.randn(128, 2450);
        Tensor target = torch.randn(128, 500);
        assertTrue(FullyConnected.usesOneDnn(x), "float32 on the CPU takes oneDNN");

        Tensor ours = FullyConnected.forward(layer, x);
        assertFalse(ours.is_mkldnn(), "the result is an ordinary tensor");
        ours.sub(target).pow(new Scalar(2.0)).sum().backward();
        Tensor weightGrad = layer.weight().grad().clone();
        Tensor biasGrad = layer.bias().grad().clone();
        layer.zero_grad(true);

        Tensor reference = torch.linear(x, layer.weight(), new TensorOptional(layer.bias()));
        reference.sub(target).pow(new Scalar(2.0)).sum().backward();

        assertClose(reference, ours, 1e-5);
        assertClose(layer.weight().grad(), weightGrad, 1e-5);
        assertClose(layer.bias().grad(), biasGrad, 1e-5);
    }

    @Test
    void worksUnderInferenceMode() {
        NativeRuntime.load();
        LinearImpl layer = new LinearImpl(20, 7);
        Tensor x = torch.randn(5, 20);
        try (InferenceMode guard = new InferenceMode()) {
            assertClose(layer.forward(x), FullyConnected.forward(layer, x), 1e-6);
        }
    }

    @Test
    void bfloat16AutocastKeepsTheUsualLinear() {
        NativeRuntime.load();
        LinearImpl layer = new LinearImpl(20, 7);
        Tensor x = torch.randn(5, 20);
        try (var scope = TrainedModels.cpu().withPrecision(Precision.BF16).autocast()) {
            assertFalse(FullyConnected.usesOneDnn(x));
            assertEquals(torch.ScalarType.BFloat16, FullyConnected.forward(layer, x).scalar_type().intern());
        }
        assertFalse(FullyConnected.usesOneDnn(x.to(torch.ScalarType.Double)), "only float32 takes oneDNN");
    }

    /** Largest difference relative to the largest magnitude of {@code expected}. */
    static void assertClose(Tensor expected, Tensor actual, double tolerance) {
        double scale = Math.max(expected.abs().max().item_double(), 1e-12);
        double difference = expected.sub(actual).abs().max().item_double();
        assertTrue(difference <= tolerance * scale, "differs by " + difference + " at scale " + scale);
    }
}
