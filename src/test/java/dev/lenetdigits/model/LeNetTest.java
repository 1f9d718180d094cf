package dev.lenetdigits.model;

import dev.lenetdigits.device.NativeRuntime;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringSharedModuleDict;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void hasTheReferenceLayersAndParameterCount() {
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

    @Test
    void givesTheOutputsAndGradientsOfTheTextbookOrder() {
        NativeRuntime.load();
        torch.manual_seed(5);
        LeNet net = new LeNet();
        Tensor x = torch.randn(16, 1, 28, 28);
        Tensor labels = torch.randint(10, new long[] {16}, new TensorOptions(torch.ScalarType.Long));

        torch.nll_loss(net.forward(x), labels).backward();
        Tensor[] ours = gradients(net);
        Tensor oursOut = net.forward(x).detach();
        net.zero_grad(true);

        // conv → ReLU → pool, twice, then plain linear layers: the reference LeNet as usually written
        var p = net.named_parameters();
        long[] one = {1, 1}, pad = {2, 2}, zero = {0, 0}, two = {2, 2};
        Tensor h = torch.conv2d(x, p.get("conv1.weight"), new TensorOptional(p.get("conv1.bias")), one, pad, one, 1);
        h = torch.max_pool2d(torch.relu(h), two, two, zero, one, false);
        h = torch.conv2d(h, p.get("conv2.weight"), new TensorOptional(p.get("conv2.bias")), one, pad, one, 1);
        h = torch.max_pool2d(torch.relu(h), two, two, zero, one, false);
        h = torch.relu(torch.linear(h.flatten(1, -1), p.get("fc1.weight"), new TensorOptional(p.get("fc1.bias"))));
        Tensor reference = torch.log_softmax(torch.linear(h, p.get("fc2.weight"), new TensorOptional(p.get("fc2.bias"))), 1);
        torch.nll_loss(reference, labels).backward();
        Tensor[] expected = gradients(net);

        FullyConnectedTest.assertClose(reference.detach(), oursOut, 1e-5);
        for (int i = 0; i < expected.length; i++) {
            FullyConnectedTest.assertClose(expected[i], ours[i], 1e-4);
        }
    }

    /**
     * Training adds the conv biases after the pools, inference inside the convolutions: the same numbers (bit
     * for bit where oneDNN adds a convolution's bias after summing its products, as on the development machines).
     */
    @Test
    void trainingAndInferenceForwardAgree() {
        NativeRuntime.load();
        torch.manual_seed(11);
        LeNet net = new LeNet();
        Tensor x = torch.randn(64, 1, 28, 28);
        Tensor training = net.forward(x).detach();
        Tensor inference;
        try (NoGradGuard guard = new NoGradGuard()) {
            inference = net.forward(x);
        }
        FullyConnectedTest.assertClose(training, inference, 1e-6);
    }

    /**
     * The copy before flatten: the values of {@code contiguous()}, row-major, and the gradient handed back
     * channels-last, which is what lets pool2's backward take libtorch's channels-last kernel.
     */
    @Test
    void rowMajorCopyKeepsTheValuesAndHandsTheGradientBackChannelsLast() {
        NativeRuntime.load();
        torch.manual_seed(9);
        Tensor leaf = torch.randn(3, 5, 4, 6).contiguous(torch.MemoryFormat.ChannelsLast).requires_grad_(true);
        Tensor x = leaf.mul(new Scalar(1.0)); // as a pool's output: not a leaf, whose gradient autograd would re-lay
        Tensor copy = DigitNetwork.rowMajorCopy(x);
        assertTrue(copy.is_contiguous(), "row-major");
        assertTrue(torch.equal(copy, x.detach()), "the same values");

        Tensor upstream = torch.randn(3, 5 * 4 * 6);
        Tensor gradient = torch.grad(new TensorVector(copy.flatten(1, -1).mul(upstream).sum()), new TensorVector(x)).get(0);
        assertTrue(gradient.is_contiguous(torch.MemoryFormat.ChannelsLast), "the gradient comes back channels-last");
        assertTrue(torch.equal(gradient, upstream.view(3, 5, 4, 6)), "and is the upstream gradient, unchanged");

        Tensor rowMajor = torch.randn(2, 3, 4, 4);
        assertTrue(torch.equal(DigitNetwork.rowMajorCopy(rowMajor), rowMajor), "any other layout: plain contiguous()");
    }

    private static Tensor[] gradients(LeNet net) {
        var parameters = net.parameters();
        Tensor[] grads = new Tensor[(int) parameters.size()];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = parameters.get(i).grad().clone();
        }
        return grads;
    }

    /**
     * Model files and checkpoints hold the weights by these names, and a checkpoint's optimizer state and
     * best weights by this order: the networks built from shared blocks must keep both.
     */
    @Test
    void lenetPlusAndLenetDeepKeepTheirParameterNamesAndOrder() {
        NativeRuntime.load();
        String stages = "conv1a.weight conv1a.bias bn1a.weight bn1a.bias conv1b.weight conv1b.bias bn1b.weight "
                + "bn1b.bias conv2a.weight conv2a.bias bn2a.weight bn2a.bias conv2b.weight conv2b.bias bn2b.weight bn2b.bias";
        String head = "fc1.weight fc1.bias bn_fc1.weight bn_fc1.bias fc2.weight fc2.bias";
        String stageBuffers = "bn1a.running_mean bn1a.running_var bn1a.num_batches_tracked bn1b.running_mean "
                + "bn1b.running_var bn1b.num_batches_tracked bn2a.running_mean bn2a.running_var bn2a.num_batches_tracked "
                + "bn2b.running_mean bn2b.running_var bn2b.num_batches_tracked";
        String headBuffers = "bn_fc1.running_mean bn_fc1.running_var bn_fc1.num_batches_tracked";
        LeNetPlus plus = new LeNetPlus();
        assertEquals(stages + " " + head, names(plus.named_parameters()));
        assertEquals(stageBuffers + " " + headBuffers, names(plus.named_buffers()));
        LeNetDeep deep = new LeNetDeep();
        assertEquals(stages + " conv3.weight conv3.bias bn3.weight bn3.bias " + head, names(deep.named_parameters()));
        assertEquals(stageBuffers + " bn3.running_mean bn3.running_var bn3.num_batches_tracked " + headBuffers,
                names(deep.named_buffers()));
        // loading reads every submodule by name, the dropouts' (empty) ones too
        List<String> children = List.of(names(deep.named_children()).split(" "));
        assertTrue(children.containsAll(List.of("drop_conv", "drop_fc")), children.toString());
    }

    private static String names(StringTensorDict dict) {
        List<String> names = new ArrayList<>();
        for (long i = 0; i < dict.size(); i++) {
            names.add(dict.get(i).key().getString());
        }
        return String.join(" ", names);
    }

    private static String names(StringSharedModuleDict dict) {
        List<String> names = new ArrayList<>();
        for (long i = 0; i < dict.size(); i++) {
            names.add(dict.get(i).key().getString());
        }
        return String.join(" ", names);
    }
}
