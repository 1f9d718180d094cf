import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.NativeRuntime;
import dev.lenetdigits.model.InputNormalization;
import dev.lenetdigits.model.LeNet;
import dev.lenetdigits.model.MaxPooling;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference LeNet's training step two ways in one process: "before" (the forward of 38d8d63: biases inside
 * the convolutions, ReLUs out of place, a plain row-major copy before flatten) and "now" (LeNet.forward).
 * Each has its own network and SGD from the same seed; they take turns in blocks of steps, so that the
 * machine's drift hits both alike, and each prints its median milliseconds per step. A comparison of whole
 * runs one after the other needs several rounds to see a few percent on a shared machine; this sees it in one.
 * Run: java -cp target/lenet-digits.jar tools/TrainingStepAB.java data/mnist [blocks] (after mvn package), with
 * the CLI's malloc settings in the environment as the CLI runs (MALLOC_MMAP_THRESHOLD_=33554432
 * MALLOC_TRIM_THRESHOLD_=2147483647 MALLOC_TOP_PAD_=268435456; native-config/README.md).
 */
public class TrainingStepAB {
    interface Forward {
        Tensor apply(LeNet net, Map<String, Tensor> p, Tensor x);
    }

    static final long[] ONE = {1, 1}, PAD = {2, 2};

    /** LeNet.forward as it was at 38d8d63, written with the network's own parameters. */
    static Tensor before(LeNet net, Map<String, Tensor> p, Tensor x) {
        x = x.reshape(x.size(0), 28, 28, 1).permute(0, 3, 1, 2);
        x = torch.relu(MaxPooling.pool2x2(conv(x, p, "conv1")));
        x = torch.relu(MaxPooling.pool2x2(conv(x, p, "conv2")).contiguous());
        x = torch.relu(torch.mkldnn_linear(x.flatten(1, -1).contiguous().to_mkldnn(), p.get("fc1.weight"),
                new TensorOptional(p.get("fc1.bias"))).to_dense());
        return torch.log_softmax(torch.linear(x, p.get("fc2.weight"), new TensorOptional(p.get("fc2.bias"))), 1);
    }

    static Tensor conv(Tensor x, Map<String, Tensor> p, String name) {
        return torch.conv2d(x, p.get(name + ".weight"), new TensorOptional(p.get(name + ".bias")), ONE, PAD, ONE, 1);
    }

    public static void main(String[] args) {
        Path mnist = Path.of(args.length > 0 ? args[0] : "data/mnist");
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int stepsPerBlock = 60;
        NativeRuntime.setThreads(2);
        DigitSet train = DigitFiles.read(mnist.resolve("train-images-idx3-ubyte"));
        Tensor images = train.images(), labels = train.labels();
        Tensor order = torch.randperm(images.size(0), new TensorOptions(torch.ScalarType.Long));
        String[] names = {"before", "now"};
        Forward[] forwards = {TrainingStepAB::before, (net, p, x) -> net.forward(x)};
        LeNet[] nets = new LeNet[2];
        SGD[] optimizers = new SGD[2];
        @SuppressWarnings("unchecked") Map<String, Tensor>[] params = new Map[2];
        for (int v = 0; v < 2; v++) {
            torch.manual_seed(42);
            nets[v] = new LeNet();
            nets[v].train(true);
            params[v] = new LinkedHashMap<>();
            var named = nets[v].named_parameters();
            for (long i = 0; i < named.size(); i++) {
                params[v].put(named.get(i).key().getString(), named.get(i).access());
            }
            SGDOptions sgd = new SGDOptions(0.01);
            sgd.momentum().put(0.9);
            optimizers[v] = new SGD(nets[v].parameters(), sgd);
        }
        int[] next = {0, 0};
        Runnable[] step = new Runnable[2];
        for (int v = 0; v < 2; v++) {
            int variant = v;
            step[v] = () -> {
                try (PointerScope scope = new PointerScope()) {
                    long start = (next[variant]++ % 460) * 128L;
                    Tensor index = order.narrow(0, start, 128);
                    Tensor x = InputNormalization.MNIST.apply(images.index_select(0, index));
                    optimizers[variant].zero_grad();
                    Tensor loss = torch.nll_loss(forwards[variant].apply(nets[variant], params[variant], x),
                            labels.index_select(0, index));
                    loss.backward();
                    if (next[variant] == 1) {
                        System.out.printf("%-6s first loss %.8f, conv1 bias gradient %s%n", names[variant],
                                loss.item_double(), params[variant].get("conv1.bias").grad().sum().item_double());
                    }
                    optimizers[variant].step();
                }
            };
        }
        for (int i = 0; i < 30; i++) {
            step[0].run();
            step[1].run();
        }
        double[][] ms = new double[2][blocks];
        for (int b = 0; b < blocks; b++) {
            for (int v = 0; v < 2; v++) {
                long t0 = System.nanoTime();
                for (int s = 0; s < stepsPerBlock; s++) {
                    step[v].run();
                }
                ms[v][b] = (System.nanoTime() - t0) / 1e6 / stepsPerBlock;
            }
        }
        double[] median = new double[2];
        for (int v = 0; v < 2; v++) {
            double[] sorted = ms[v].clone();
            Arrays.sort(sorted);
            median[v] = (sorted[(blocks - 1) / 2] + sorted[blocks / 2]) / 2;
            System.out.printf("%-6s median %.3f ms a step (%.0f images/s); blocks %s%n", names[v], median[v],
                    128_000 / median[v], Arrays.toString(Arrays.stream(ms[v]).map(m -> Math.round(m * 100) / 100.0).toArray()));
        }
        System.out.printf("now / before: %.3f× the images per second%n", median[0] / median[1]);
    }
}
