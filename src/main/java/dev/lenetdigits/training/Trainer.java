package dev.lenetdigits.training;

import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.Precision;
import dev.lenetdigits.model.BatchedForward;
import dev.lenetdigits.model.Architectures;
import dev.lenetdigits.model.InputNormalization;
import dev.lenetdigits.model.DigitNetwork;
import dev.lenetdigits.model.ModelInfo;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training loop. The whole training set sits on the device as one uint8 tensor; each step takes its
 * batch from it by index, normalises it on the device, and runs forward, backward and the optimizer
 * inside a native memory scope, so native memory does not grow from step to step. Loss and accuracy are
 * summed on the device and read back only now and then.
 */
public final class Trainer {
    /** How often (in steps) the running loss is read back for progress reports. */
    private static final int LOSS_READ_INTERVAL = 50;
    private static final int EVAL_BATCH = 1000;
    /**
     * A running loss above this many times what guessing uniformly costs (ln of the class count) is taken for
     * divergence, as NaN is: a fresh network starts near ln 10 and training lowers it, so a loss far above it
     * means the steps throw the weights about, even while it stays finite. The recipes' normal runs stay at or
     * below about ln 10 from their first reading on (docs/divergence.md).
     */
    static final double DIVERGED_OVER_UNIFORM = 3;

    private final TrainingOptions options;
    private final ComputeDevice device;
    private final TrainingListener listener;
    private Checkpoints checkpoints;
    private Path resumeFrom;

    public Trainer(TrainingOptions options, ComputeDevice device, TrainingListener listener) {
        this.options = options;
        this.device = device;
        this.listener = listener;
    }

    /** Writes a checkpoint into {@code store} after every epoch. */
    public Trainer checkpointInto(Checkpoints store) {
        this.checkpoints = store;
        return this;
    }

    /**
     * Continues from {@code checkpoint} (of {@code store}) instead of starting afresh; on the CPU, with
     * the same data and threads, the result is the model an uninterrupted run would have made.
     */
    public Trainer resumeFrom(Checkpoints store, Path checkpoint) {
        this.checkpoints = store;
        this.resumeFrom = checkpoint;
        return this;
    }

    /** A trained network with its metadata and per-epoch figures. */
    public record Result(DigitNetwork network, ModelInfo info, List<EpochResult> epochs) {}

    /** Splits off validation digits (per {@code --val-split}) and trains on the rest. */
    public Result train(DigitSet labelled) {
        if (!labelled.hasLabels()) {
            throw new UserException(labelled.source() + ": has no labels; training needs a labelled file "
                    + "(a CSV with a label column, or an IDX images file with its labels file beside it)");
        }
        DigitSet.Split split = labelled.split(options.valSplit(), options.seed());
        return train(split.train(), split.validation());
    }

    /** Trains on {@code train}; {@code validation} (may be null) is measured after every epoch. */
    public Result train(DigitSet train, DigitSet validation) {
        torch.manual_seed(options.seed());
        InputNormalization normalization = InputNormalization.MNIST;
        DigitNetwork network = Architectures.create(options.architecture());
        network.to(device.torch(), false);
        network.train(true);
        Optimizer optimizer = createOptimizer(network);

        DigitSet trainOnDevice = train.to(device);
        DigitSet validationOnDevice = validation == null ? null : validation.to(device);
        Tensor images = trainOnDevice.images();
        Tensor labels = trainOnDevice.labels();
        long n = images.size(0);
        int steps = (int) ((n + options.batchSize() - 1) / options.batchSize());

        List<EpochResult> results = new ArrayList<>();
        BestWeights best = new BestWeights();
        int firstEpoch = 1;
        if (resumeFrom != null) {
            Checkpoints.State state = checkpoints.restore(resumeFrom, network, optimizer, device);
            firstEpoch = state.epoch() + 1;
            results.addAll(state.history());
            results.forEach(listener::epochFinished);
            best.resume(state);
        }
        for (int epoch = firstEpoch; epoch <= options.epochs(); epoch++) {
            double lr = learningRate(epoch, 0, steps);
            setLearningRate(optimizer, lr);
            listener.epochStarted(epoch, options.epochs(), steps);
            long t0 = System.nanoTime();
            // Sums live on the device: one host read per report instead of one per step.
            Tensor lossSum = torch.zeros(new long[] {1}, new TensorOptions(torch.ScalarType.Double).device(
                    new org.bytedeco.pytorch.DeviceOptional(device.torch())));
            Tensor correct = torch.zeros(new long[] {1}, new TensorOptions(torch.ScalarType.Long).device(
                    new org.bytedeco.pytorch.DeviceOptional(device.torch())));
            Tensor order = torch.randperm(n, new TensorOptions(torch.ScalarType.Long)).to(device.torch(), torch.ScalarType.Long);
            for (int step = 0; step < steps; step++) {
                long start = (long) step * options.batchSize();
                long count = Math.min(options.batchSize(), n - start);
                if (options.schedule() == TrainingOptions.Schedule.ONE_CYCLE) {
                    lr = learningRate(epoch, step, steps);
                    setLearningRate(optimizer, lr);
                }
                try (PointerScope scope = new PointerScope()) {
                    Tensor index = order.narrow(0, start, count);
                    Tensor batch = images.index_select(0, index);
                    Tensor x = options.augment()
                            ? normalization.normalizeUnit(Augmentation.apply(InputNormalization.toUnit(batch),
                                    options.augmentation()))
                            : normalization.apply(batch);
                    Tensor y = labels.index_select(0, index);
                    optimizer.zero_grad();
                    Tensor output;
                    Tensor loss;
                    try (var precision = device.autocast()) { // backward follows the forward's types
                        output = network.forward(x);
                        loss = loss(output, y, options.labelSmoothing());
                    }
                    loss.backward();
                    optimizer.step();
                    lossSum.add_(loss.detach(), new Scalar((double) count));
                    correct.add_(output.argmax(new LongOptional(1), false).eq(y).sum());
                }
                double running = Double.NaN;
                if ((step + 1) % LOSS_READ_INTERVAL == 0 || step + 1 == steps) {
                    running = lossSum.item_double() / (start + count);
                    checkDiverged(running, epoch, step + 1, lr, checkpoints);
                }
                listener.stepFinished(step + 1, start + count, running);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double trainLoss = lossSum.item_double() / n;
            double trainAccuracy = (double) correct.item_long() / n;
            double[] val = validationOnDevice == null ? new double[] {Double.NaN, Double.NaN}
                    : lossAndAccuracy(network, normalization, validationOnDevice, device);
            EpochResult result = new EpochResult(epoch, options.epochs(), trainLoss, trainAccuracy,
                    val[0], val[1], seconds, n / seconds);
            results.add(result);
            if (options.restoreBest()) {
                best.offer(network, result);
            }
            if (checkpoints != null) {
                checkpoints.save(new Checkpoints.State(epoch, options, device.precision(), results, best.weights()), network,
                        optimizer);
            }
            listener.epochFinished(result);
        }
        network.eval();
        double finalValidation = results.get(results.size() - 1).validationAccuracy();
        if (options.restoreBest() && best.result != null) {
            best.restoreInto(network);
            finalValidation = best.result.validationAccuracy();
            System.err.printf(java.util.Locale.ROOT, "kept the weights of epoch %d (best validation accuracy %.2f%%)%n",
                    best.result.epoch(), 100 * finalValidation);
        }
        return new Result(network, describe(network, options, device, finalValidation), results);
    }

    /** What the model file records about a network trained with these options. */
    static ModelInfo describe(DigitNetwork network, TrainingOptions options, ComputeDevice device,
                              double validationAccuracy) {
        Map<String, String> record = options.asMap();
        if (device.precision() != Precision.FP32) { // fp32 files stay as they were
            record.put("precision", device.precision().toString());
        }
        return new ModelInfo(network.architecture(), InputNormalization.MNIST, DigitSet.CLASSES, validationAccuracy,
                record);
    }

    /**
     * Cross-entropy of log-probabilities against targets that put {@code 1 - smoothing} on the true class
     * and spread {@code smoothing} evenly over all ten (Szegedy et al. 2016): discourages over-confidence.
     */
    static Tensor loss(Tensor logProbabilities, Tensor labels, double smoothing) {
        Tensor nll = torch.nll_loss(logProbabilities, labels);
        if (smoothing == 0) {
            return nll;
        }
        // Against the uniform target the cross-entropy is minus the mean log-probability over classes and digits.
        Tensor uniform = logProbabilities.mean().neg();
        return nll.mul(new Scalar(1 - smoothing)).add(uniform.mul(new Scalar(smoothing)));
    }

    /** Mean loss and accuracy of the network on a labelled set already on {@code device}, without autograd. */
    public static double[] lossAndAccuracy(DigitNetwork network, InputNormalization normalization, DigitSet set,
                                           ComputeDevice device) {
        try (var precision = device.autocast()) {
            return lossAndAccuracy(network, normalization, set);
        }
    }

    private static double[] lossAndAccuracy(DigitNetwork network, InputNormalization normalization, DigitSet set) {
        Tensor labels = set.labels();
        // summed on the device and read once: no host sync per batch
        org.bytedeco.pytorch.DeviceOptional on = new org.bytedeco.pytorch.DeviceOptional(labels.device());
        Tensor lossSum = torch.zeros(new long[] {1}, new TensorOptions(torch.ScalarType.Double).device(on));
        Tensor correct = torch.zeros(new long[] {1}, new TensorOptions(torch.ScalarType.Long).device(on));
        BatchedForward.run(network, normalization, set.images(), EVAL_BATCH, (start, count, logProbabilities) -> {
            Tensor y = labels.narrow(0, start, count);
            lossSum.add_(torch.nll_loss(logProbabilities, y), new Scalar((double) count));
            correct.add_(logProbabilities.argmax(new LongOptional(1), false).eq(y).sum());
        });
        long n = set.size();
        return new double[] {lossSum.item_double() / n, (double) correct.item_long() / n};
    }

    private Optimizer createOptimizer(DigitNetwork network) {
        if (options.optimizer() == OptimizerKind.ADAM) {
            AdamOptions adam = new AdamOptions(options.lr());
            adam.weight_decay().put(options.weightDecay());
            return new Adam(network.parameters(), adam);
        }
        SGDOptions sgd = new SGDOptions(options.lr());
        sgd.momentum().put(options.momentum());
        sgd.weight_decay().put(options.weightDecay());
        return new SGD(network.parameters(), sgd);
    }

    /** The learning rate for a step: a function of where training is, so a resumed run gets the same. */
    double learningRate(int epoch, int step, int stepsPerEpoch) {
        if (options.schedule() == TrainingOptions.Schedule.DECAY) {
            return options.lr() * Math.pow(options.lrDecay(), epoch - 1);
        }
        double total = (double) options.epochs() * stepsPerEpoch;
        double t = (double) (epoch - 1) * stepsPerEpoch + step;
        double warm = 0.3 * total;
        double peak = options.lr();
        if (t < warm) {
            double start = peak / 25;
            return start + (peak - start) * (1 - Math.cos(Math.PI * t / warm)) / 2;
        }
        double end = peak / 1e4;
        return end + (peak - end) * (1 + Math.cos(Math.PI * (t - warm) / (total - warm))) / 2;
    }

    /** A copy of the weights (and batch-norm statistics) of the epoch with the best validation accuracy. */
    private static final class BestWeights {
        EpochResult result;
        /** Parameters then buffers, in the network's order, so a checkpoint can carry them as a list. */
        private final List<Tensor> saved = new ArrayList<>();

        void offer(DigitNetwork network, EpochResult candidate) {
            if (Double.isNaN(candidate.validationAccuracy())
                    || (result != null && candidate.validationAccuracy() <= result.validationAccuracy())) {
                return;
            }
            result = candidate;
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
                        && (result == null || r.validationAccuracy() > result.validationAccuracy())) {
                    result = r;
                }
            }
        }

        List<Tensor> weights() {
            return List.copyOf(saved);
        }

        void restoreInto(DigitNetwork network) {
            try (org.bytedeco.pytorch.NoGradGuard guard = new org.bytedeco.pytorch.NoGradGuard()) {
                java.util.Iterator<Tensor> copies = saved.iterator();
                forEachState(network, t -> t.copy_(copies.next()));
            }
        }

        private static void forEachState(DigitNetwork network, java.util.function.Consumer<Tensor> action) {
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

    private static void setLearningRate(Optimizer optimizer, double lr) {
        var groups = optimizer.param_groups();
        for (long i = 0; i < groups.size(); i++) {
            groups.get(i).options().set_lr(lr);
        }
    }

    /** Stops training, naming the last good checkpoint, when the loss is NaN, infinite or far above guessing's. */
    private static void checkDiverged(double loss, int epoch, int step, double lr, Checkpoints checkpoints) {
        double uniform = Math.log(DigitSet.CLASSES);
        boolean finite = Double.isFinite(loss);
        if (finite && loss <= DIVERGED_OVER_UNIFORM * uniform) {
            return;
        }
        String kept = checkpoints == null ? ""
                : checkpoints.latest().map(p -> "; the last good checkpoint is " + p).orElse("; no checkpoint was written yet");
        String shown = finite ? String.format(java.util.Locale.ROOT, "%.4g", loss) : String.valueOf(loss);
        String why = finite ? String.format(java.util.Locale.ROOT, ", over %.0f times the %.2f that guessing uniformly costs",
                DIVERGED_OVER_UNIFORM, uniform) : "";
        throw new UserException(String.format(java.util.Locale.ROOT,
                "training diverged: loss is %s at epoch %d, step %d (learning rate %g)%s; try a smaller --lr%s",
                shown, epoch, step, lr, why, kept));
    }
}
