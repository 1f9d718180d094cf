import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.NativeRuntime;
import dev.lenetdigits.model.FullyConnected;
import dev.lenetdigits.model.InputNormalization;
import dev.lenetdigits.model.LeNet;
import dev.lenetdigits.model.MaxPooling;
import org.bytedeco.javacpp.BoolPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRefOptional;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Op-by-op timing of the reference LeNet's training step and inference batch, on one batch, with the
 * kernels autograd and the optimizer call, one at a time, in the network's order (each ReLU after its pool,
 * fc1 through FullyConnected; libtorch's own linear is timed beside it); the twin of tools/op_profile.py
 * (Python PyTorch, the peer's textbook order). Both print the real step as the trainers run it first. The
 * per-op list keeps the convolutions with their biases inside and a plain row-major copy before flatten, as
 * the network ran before the biases moved after the pools (tools/TrainingStepAB.java times both steps).
 * Run: java -cp target/lenet-digits.jar tools/OpProfile.java data/mnist [reps] (after mvn package)
 * Prints one line per op: median milliseconds over the repetitions.
 */
public class OpProfile {
    static int reps = 100;
    static final Map<String, Double> table = new LinkedHashMap<>();

    static void time(String name, Supplier<Object> op) {
        for (int i = 0; i < 5; i++) {
            try (PointerScope s = new PointerScope()) {
                op.get();
            }
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            try (PointerScope s = new PointerScope()) {
                long t0 = System.nanoTime();
                op.get();
                t[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(t);
        table.put(name, t[reps / 2]);
    }

    /** _log_softmax_backward_data is not mapped: its formula (the op is tiny either way). */
    static Tensor logSoftmaxBackward(Tensor g, Tensor logProbabilities) {
        return g.sub(logProbabilities.exp().mul(g.sum(new long[] {1}, true, new ScalarTypeOptional())));
    }

    static long[] l(long... v) {
        return v;
    }

    public static void main(String[] args) throws Exception {
        Path mnist = Path.of(args.length > 0 ? args[0] : "data/mnist");
        if (args.length > 1) {
            reps = Integer.parseInt(args[1]);
        }
        NativeRuntime.setThreads(2);
        torch.manual_seed(42);
        DigitSet train = DigitFiles.read(mnist.resolve("train-images-idx3-ubyte"));
        DigitSet test = DigitFiles.read(mnist.resolve("t10k-images-idx3-ubyte"));
        Tensor images = train.images();
        Tensor labels = train.labels();
        InputNormalization norm = InputNormalization.MNIST;
        LeNet net = new LeNet();
        net.train(true);
        SGDOptions o = new SGDOptions(0.01);
        o.momentum().put(0.9);
        SGD opt = new SGD(net.parameters(), o);
        Tensor order = torch.randperm(images.size(0), new TensorOptions(torch.ScalarType.Long));

        // The real step as Trainer runs it.
        Tensor lossSum = torch.zeros(new long[] {1}, new TensorOptions(torch.ScalarType.Double));
        Tensor correct = torch.zeros(new long[] {1}, new TensorOptions(torch.ScalarType.Long));
        int[] stepNo = {0};
        Supplier<Object> realStep = () -> {
            long start = (stepNo[0]++ * 128L) % 59904;
            Tensor index = order.narrow(0, start, 128);
            Tensor batch = images.index_select(0, index);
            Tensor x = norm.apply(batch);
            Tensor y = labels.index_select(0, index);
            opt.zero_grad();
            Tensor out = net.forward(x);
            Tensor loss = torch.nll_loss(out, y);
            loss.backward();
            opt.step();
            lossSum.add_(loss.detach(), new Scalar(128.0));
            correct.add_(out.argmax(new LongOptional(1), false).eq(y).sum());
            return null;
        };
        for (int i = 0; i < 30; i++) {
            try (PointerScope s = new PointerScope()) {
                realStep.get();
            }
        }
        int steps = Math.max(reps, 100);
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            try (PointerScope s = new PointerScope()) {
                realStep.get();
            }
        }
        double stepMs = (System.nanoTime() - t0) / 1e6 / steps;
        lossSum.item_double();

        // One batch, its activations kept, each kernel timed on its own.
        Tensor index = order.narrow(0, 0, 128);
        Tensor batch = images.index_select(0, index);
        Tensor x = norm.apply(batch);
        Tensor y = labels.index_select(0, index);
        Tensor xcl = x.reshape(128, 28, 28, 1).permute(0, 3, 1, 2);
        var params = net.named_parameters();
        Map<String, Tensor> p = new LinkedHashMap<>();
        for (long i = 0; i < params.size(); i++) {
            p.put(params.get(i).key().getString(), params.get(i).access().detach());
        }
        Tensor w1 = p.get("conv1.weight"), b1 = p.get("conv1.bias"), w2 = p.get("conv2.weight"), b2 = p.get("conv2.bias");
        LinearImpl fc1Layer = new LinearImpl(2450, 500);
        Tensor f1w = p.get("fc1.weight"), f1b = p.get("fc1.bias"), f2w = p.get("fc2.weight"), f2b = p.get("fc2.bias");
        long[] one = l(1, 1), pad = l(2, 2), zero = l(0, 0), k2 = l(2, 2);

        time("batch: index_select x, y", () -> {
            images.index_select(0, index);
            return labels.index_select(0, index);
        });
        time("normalize (to float, mul_, sub_)", () -> norm.apply(batch));
        Tensor c1 = torch.conv2d(xcl, w1, new TensorOptional(b1), one, pad, one, 1);
        time("conv1 fwd", () -> torch.conv2d(xcl, w1, new TensorOptional(b1), one, pad, one, 1));
        Tensor r1 = torch.relu(c1);
        T_TensorTensor_T mp1 = torch.max_pool2d_with_indices(r1, k2, k2, zero, one, false);
        Tensor p1 = mp1.get0(), i1 = mp1.get1();
        time("pool1 fwd (with indices)", () -> torch.max_pool2d_with_indices(r1, k2, k2, zero, one, false));
        time("relu1 fwd (after the pool)", () -> torch.relu(p1));
        Tensor c2 = torch.conv2d(p1, w2, new TensorOptional(b2), one, pad, one, 1);
        time("conv2 fwd", () -> torch.conv2d(p1, w2, new TensorOptional(b2), one, pad, one, 1));
        Tensor r2 = torch.relu(c2);
        T_TensorTensor_T mp2 = torch.max_pool2d_with_indices(r2, k2, k2, zero, one, false);
        Tensor p2 = mp2.get0(), i2 = mp2.get1();
        time("pool2 fwd (with indices)", () -> torch.max_pool2d_with_indices(r2, k2, k2, zero, one, false));
        time("relu2 fwd (after the pool)", () -> torch.relu(p2));
        Tensor flat = p2.flatten(1, -1);
        time("flatten (NHWC to NCHW copy)", () -> p2.flatten(1, -1));
        Tensor h = torch.addmm(f1b, flat, f1w.t());
        time("fc1 fwd (addmm, OpenBLAS; not used)", () -> torch.addmm(f1b, flat, f1w.t()));
        Tensor hr = torch.relu(h);
        time("relu3 fwd", () -> torch.relu(h));
        Tensor z = torch.addmm(f2b, hr, f2w.t());
        time("fc2 fwd (addmm)", () -> torch.addmm(f2b, hr, f2w.t()));
        Tensor ls = torch.log_softmax(z, 1);
        time("log_softmax + nll_loss fwd", () -> torch.nll_loss(torch.log_softmax(z, 1), y));

        // backward, in autograd's order
        Tensor gLoss = torch.ones(new long[] {}, new TensorOptions(torch.ScalarType.Float));
        Tensor gLs = torch.nll_loss_backward(gLoss, ls, y, new TensorOptional(), 1, -100, torch.ones(new long[] {}, new TensorOptions(torch.ScalarType.Float)));
        Tensor gZ = logSoftmaxBackward(gLs, ls);
        time("nll_loss + log_softmax bwd", () -> logSoftmaxBackward(
                torch.nll_loss_backward(gLoss, ls, y, new TensorOptional(), 1, -100, gLoss), ls));
        time("fc2 bwd (2 mm + sum)", () -> {
            torch.mm(gZ, f2w);
            torch.mm(gZ.t(), hr);
            return gZ.sum(new long[] {0}, true, new ScalarTypeOptional());
        });
        Tensor gHr = torch.mm(gZ, f2w);
        Tensor gH = torch.threshold_backward(gHr, hr, new Scalar(0.0));
        time("relu3 bwd", () -> torch.threshold_backward(gHr, hr, new Scalar(0.0)));
        time("fc1 bwd: grad input (mm, OpenBLAS; not used)", () -> torch.mm(gH, f1w));
        time("fc1 bwd: grad weight (mm) + bias (not used)", () -> {
            torch.mm(gH.t(), flat);
            return gH.sum(new long[] {0}, true, new ScalarTypeOptional());
        });
        Tensor gP2 = torch.mm(gH, f1w).view(128, 50, 7, 7);
        Tensor gR2 = torch.max_pool2d_with_indices_backward(gP2, r2, k2, k2, zero, one, false, i2);
        time("pool2 bwd", () -> torch.max_pool2d_with_indices_backward(gP2, r2, k2, k2, zero, one, false, i2));
        Tensor gC2 = torch.threshold_backward(gR2, r2, new Scalar(0.0));
        time("relu2 bwd (before the pool's)", () -> torch.threshold_backward(gP2, p2, new Scalar(0.0)));
        T_TensorTensorTensor_T cb2 = torch.convolution_backward(gC2, p1, w2, l(50), one, pad, one, false, zero, 1,
                new BoolPointer(3).put(0, true).put(1, true).put(2, true));
        time("conv2 bwd (input, weight, bias)", () -> torch.convolution_backward(gC2, p1, w2, l(50), one, pad, one,
                false, zero, 1, new BoolPointer(3).put(0, true).put(1, true).put(2, true)));
        time("conv2 bwd: input only", () -> torch.convolution_backward(gC2, p1, w2, l(50), one, pad, one,
                false, zero, 1, new BoolPointer(3).put(0, true).put(1, false).put(2, false)));
        time("conv2 bwd: weight+bias only", () -> torch.convolution_backward(gC2, p1, w2, l(50), one, pad, one,
                false, zero, 1, new BoolPointer(3).put(0, false).put(1, true).put(2, true)));
        Tensor gP1 = cb2.get0();
        Tensor gR1 = torch.max_pool2d_with_indices_backward(gP1, r1, k2, k2, zero, one, false, i1);
        time("pool1 bwd", () -> torch.max_pool2d_with_indices_backward(gP1, r1, k2, k2, zero, one, false, i1));
        Tensor gC1 = torch.threshold_backward(gR1, r1, new Scalar(0.0));
        time("relu1 bwd (before the pool's)", () -> torch.threshold_backward(gP1, p1, new Scalar(0.0)));
        time("conv1 bwd (weight, bias)", () -> torch.convolution_backward(gC1, xcl, w1, l(20), one, pad, one, false,
                zero, 1, new BoolPointer(3).put(0, false).put(1, true).put(2, true)));
        // fc1 forward and backward through autograd: libtorch's linear (OpenBLAS here) and FullyConnected (oneDNN)
        Tensor flatLeaf = flat.detach().requires_grad_(true);
        Tensor gOut = torch.randn(128, 500);
        time("fc1 fwd+bwd autograd: linear (OpenBLAS)", () -> {
            torch.linear(flatLeaf, f1w.requires_grad_(true), new TensorOptional(f1b.requires_grad_(true))).backward(gOut, new BoolOptional(), false, new TensorArrayRefOptional());
            return null;
        });
        time("fc1 fwd+bwd autograd: FullyConnected (oneDNN)", () -> {
            FullyConnected.forward(fc1Layer, flatLeaf).backward(gOut, new BoolOptional(), false, new TensorArrayRefOptional());
            return null;
        });
        f1w.requires_grad_(false);
        f1b.requires_grad_(false);
        opt.zero_grad();
        torch.nll_loss(net.forward(x), y).backward();
        time("optimizer: step (grads present)", () -> {
            opt.step();
            return null;
        });
        time("metrics: loss add_, argmax eq sum add_", () -> {
            Tensor loss = torch.nll_loss(ls, y);
            lossSum.add_(loss.detach(), new Scalar(128.0));
            return correct.add_(ls.argmax(new LongOptional(1), false).eq(y).sum());
        });
        double sum = table.values().stream().mapToDouble(Double::doubleValue).sum()
                - table.get("conv2 bwd: input only") - table.get("conv2 bwd: weight+bias only")
                - table.get("fc1 fwd+bwd autograd: linear (OpenBLAS)") - table.get("fc1 fwd (addmm, OpenBLAS; not used)")
                - table.get("fc1 bwd: grad input (mm, OpenBLAS; not used)") - table.get("fc1 bwd: grad weight (mm) + bias (not used)");
        System.out.printf(Locale.ROOT, "real training step (Trainer's): %.2f ms = %.0f img/s%n", stepMs, 128 / stepMs * 1000);
        System.out.printf(Locale.ROOT, "sum of the training ops below: %.2f ms%n", sum);
        table.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-50s %8.3f ms%n", k, v));

        // inference batch of 256 under InferenceMode, the classifier's way
        net.eval();
        Tensor testImages = test.images();
        Map<String, Double> inf = new LinkedHashMap<>();
        try (InferenceMode guard = new InferenceMode()) {
            Tensor tb = testImages.narrow(0, 0, 256);
            Tensor tx = norm.apply(tb).reshape(256, 28, 28, 1).permute(0, 3, 1, 2);
            Tensor ic1 = torch.conv2d(tx, w1, new TensorOptional(b1), one, pad, one, 1);
            Tensor ir1 = torch.relu(ic1);
            Tensor ip1 = torch.max_pool2d(ir1, k2, k2, zero, one, false);
            Tensor ic2 = torch.conv2d(ip1, w2, new TensorOptional(b2), one, pad, one, 1);
            Tensor ir2 = torch.relu(ic2);
            Tensor ip2 = torch.max_pool2d(ir2, k2, k2, zero, one, false);
            Tensor ifl = ip2.flatten(1, -1);
            Tensor ih = torch.relu(torch.addmm(f1b, ifl, f1w.t()));
            Tensor iz = torch.addmm(f2b, ih, f2w.t());
            table.clear();
            time("inf: normalize 256", () -> norm.apply(tb));
            time("inf: conv1 fwd", () -> torch.conv2d(tx, w1, new TensorOptional(b1), one, pad, one, 1));
            time("inf: pool1 (MaxPooling: two maxima of views)", () -> MaxPooling.pool2x2(ic1));
            time("inf: relu1 (after the pool)", () -> torch.relu(ip1));
            time("inf: conv2 fwd", () -> torch.conv2d(ip1, w2, new TensorOptional(b2), one, pad, one, 1));
            time("inf: pool2 (MaxPooling: two maxima of views)", () -> MaxPooling.pool2x2(ic2));
            time("inf: relu2 (after the pool)", () -> torch.relu(ip2));
            time("inf: flatten", () -> ip2.flatten(1, -1));
            time("inf: fc1 (FullyConnected, oneDNN) + relu", () -> torch.relu(FullyConnected.forward(fc1Layer, ifl)));
            time("inf: fc2 (addmm)", () -> torch.addmm(f2b, ih, f2w.t()));
            time("inf: log_softmax + exp + argmax", () -> {
                torch.log_softmax(iz, 1).exp();
                return iz.argmax(new LongOptional(1), false);
            });
            inf.putAll(table);
            time("inf: pool1 by max_pool2d (not used)", () -> torch.max_pool2d(ic1, k2, k2, zero, one, false));
            time("inf: pool2 by max_pool2d (not used)", () -> torch.max_pool2d(ic2, k2, k2, zero, one, false));
            time("inf: whole forward (network.forward)", () -> net.forward(norm.apply(tb)));
        }
        double infSum = inf.values().stream().mapToDouble(Double::doubleValue).sum();
        System.out.printf(Locale.ROOT, "inference: sum of ops %.2f ms per 256, whole forward %.2f ms%n", infSum,
                table.get("inf: whole forward (network.forward)"));
        table.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-50s %8.3f ms%n", k, v));
    }
}
