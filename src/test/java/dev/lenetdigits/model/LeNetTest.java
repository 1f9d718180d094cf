package dev.lenetdigits.model;

import dev.lenetdigits.device.NativeRuntime;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LeNetTest {
    @Test
    void mapsImagesToTenLogProbabilities() {
        NativeRuntime.load();
        LeNet net = new LeNet();
        Tensor out = net.forward(torch.randn(4, 1, 28, 28));
        assertArrayEquals(new long[] {4, 10}, out.sizes().vec().get());
        Tensor rowSums = out.exp().sum(1);
        for (int i = 0; i < 4; i++) {
            assertEquals(1.0, rowSums.get(i).item_double(), 1e-5);
        }
    }

    @Test
    void hasTheSeedsLayersAndParameterCount() {
        NativeRuntime.load();
        LeNet net = new LeNet();
        var named = net.named_parameters();
        long total = 0;
        for (long i = 0; i < named.size(); i++) {
            total += named.get(i).access().numel();
        }
        // conv1 20·1·5·5+20, conv2 50·20·5·5+50, fc1 2450·500+500, fc2 500·10+10
        assertEquals(520 + 25_050 + 1_225_500 + 5_010, total);
        assertArrayEquals(new long[] {20, 1, 5, 5}, net.named_parameters().get("conv1.weight").sizes().vec().get());
        assertArrayEquals(new long[] {10, 500}, net.named_parameters().get("fc2.weight").sizes().vec().get());
    }
}
