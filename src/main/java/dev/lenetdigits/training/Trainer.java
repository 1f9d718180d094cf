package dev.lenetdigits.training;

import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.GpuMemory;
import dev.lenetdigits.model.Architectures;
import dev.lenetdigits.model.BatchedForward;
import dev.lenetdigits.model.DigitNetwork;
import dev.lenetdigits.model.InputNormalization;
import dev.lenetdigits.model.ModelInfo;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.DeviceOptional;
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
import java.util.Locale;

/**
 * The training loop: {@link #train} runs {@link #epoch}s of {@link #step}s, each epoch ending with
 * {@link #evaluate} on the validation digits. The whole training set sits on the device as one uint8 tensor;
 * each step takes its batch from it by index, normalises it on the device, and runs forward, backward and the
 * optimizer inside a native memory scope, so native memory does not grow from step to step. Loss and
 * accuracy are summed on the device and read back only now and then. Beside the loop: the checkpoints
 * ({@link Checkpoints}), the best epoch's weights ({@link BestWeights}) and the divergence check
 * ({@link DivergenceCheck}); the listener hears the progress and the run's notes.
 */
public final class Trainer {
    /** How often (in steps) the running loss is read back for progress reports. */
    private static final int LOSS_READ_INTERVAL = 50;
    private static final int EVAL_BATCH = 1000;

    private final TrainingOptions options;
    private final ComputeDevice device;
    private final TrainingListener listener;
    private Checkpoints checkpoints;
    private Path resumeFrom;

    /**
     * A trainer of {@code options}' network on {@code device}, in {@code options.precision()} (the run's
     * setting: the precision {@code device} was opened with does not count here).
     */
    public Trainer(TrainingOptions options, ComputeDevice device, TrainingListener listener) {
        this.options = options;
        this.device = device.withPrecision(options.precision());
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
    public Result train(DigitSet labeled) {
        DigitSet.Split split = labeled.requireLabels(DigitSet.TRAINING_NEEDS_LABELS)
                .split(options.valSplit(), options.seed());
        return train(split.train(), split.validation());
    }

    /** Trains on {@code train}; {@code validation} (may be null) is measured after every epoch. */
    public Result train(DigitSet train, DigitSet validation) {
        Run run = start(train, validation);
        for (int epoch = run.firstEpoch; epoch <= options.epochs(); epoch++) {
            endEpoch(run, epoch(run, epoch));
        }
        return finish(run);
    }

    /** What one run works with: the network, its optimizer, the digits on the device, the epochs so far. */
    private static final class Run {
        final DigitNetwork network;
        final Optimizer optimizer;
        final Tensor images;
        final Tensor labels;
        final DigitSet validation;
        final int steps;
        final List<EpochResult> history = new ArrayList<>();
        final BestWeights best = new BestWeights();
        final DivergenceCheck divergence;
        int firstEpoch = 1;

        Run(DigitNetwork network, Optimizer optimizer, DigitSet train, DigitSet validation, int batchSize,
            Checkpoints checkpoints) {
            this.network = network;
            this.optimizer = optimizer;
            this.images = train.images();
            this.labels = train.labels();
            this.validation = validation;
            this.steps = (int) ((size() + batchSize - 1) / batchSize);
            this.divergence = new DivergenceCheck(checkpoints);
        }

        long size() {
            return images.size(0);
        }
    }

    /** A fresh network and optimizer, seeded, and the digits moved to the device; or the checkpoint's state. */
    private Run start(DigitSet train, DigitSet validation) {
        torch.manual_seed(options.seed());
        DigitNetwork network = Architectures.create(options.architecture());
        network.to(device.torch(), false);
        network.train(true);
        Run run = new Run(network, createOptimizer(network), train.to(device),
                validation == null ? null : validation.to(device), options.batchSize(), checkpoints);
        if (resumeFrom != null) {
            Checkpoints.State state = checkpoints.restore(resumeFrom, network, run.optimizer, device);
            run.firstEpoch = state.epoch() + 1;
            run.history.addAll(state.history());
            run.history.forEach(listener::epochFinished);
            run.best.resume(state);
        }
        return run;
    }

    /** One pass over the training digits in a fresh random order, then the validation digits measured. */
    private EpochResult epoch(Run run, int epoch) {
        double lr = learningRate(epoch, 0, run.steps);
        setLearningRate(run.optimizer, lr);
        listener.epochStarted(epoch, options.epochs(), run.steps);
        long t0 = System.nanoTime();
        // Sums live on the device: one host read per report instead of one per step.
        Tensor lossSum = deviceZero(torch.ScalarType.Double);
        Tensor correct = deviceZero(torch.ScalarType.Long);
        Tensor order = torch.randperm(run.size(), new TensorOptions(torch.ScalarType.Long))
                .to(device.torch(), torch.ScalarType.Long);
        for (int step = 0; step < run.steps; step++) {
            long start = (long) step * options.batchSize();
            long count = Math.min(options.batchSize(), run.size() - start);
            if (options.schedule() == TrainingOptions.Schedule.ONE_CYCLE) {
                lr = learningRate(epoch, step, run.steps);
                setLearningRate(run.optimizer, lr);
            }
            step(run, order, start, count, lossSum, correct);
            double running = Double.NaN;
            if ((step + 1) % LOSS_READ_INTERVAL == 0 || step + 1 == run.steps) {
                running = lossSum.item_double() / (start + count);
                run.divergence.check(running, epoch, step + 1, lr);
            }
            listener.stepFinished(step + 1, start + count, running);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] validation = evaluate(run);
        return new EpochResult(epoch, options.epochs(), lossSum.item_double() / run.size(),
                (double) correct.item_long() / run.size(), validation[0], validation[1], seconds, run.size() / seconds);
    }

    /**
     * One optimizer step on the {@code count} digits from {@code start} in {@code order}: augmented (when on)
     * and normalised on the device, forward in the run's precision, backward, step; the batch's loss and right
     * answers added to the sums.
     */
    private void step(Run run, Tensor order, long start, long count, Tensor lossSum, Tensor correct) {
        try (PointerScope scope = new PointerScope()) {
            Tensor index = order.narrow(0, start, count);
            Tensor batch = run.images.index_select(0, index);
            InputNormalization normalization = InputNormalization.MNIST;
            Tensor x = options.augment()
                    ? normalization.normalizeUnit(Augmentation.apply(InputNormalization.toUnit(batch),
                            options.augmentation()))
                    : normalization.apply(batch);
            Tensor y = run.labels.index_select(0, index);
            run.optimizer.zero_grad();
            Tensor output;
            Tensor loss;
            try (var precision = device.autocast()) { // backward follows the forward's types
                output = run.network.forward(x);
                loss = loss(output, y, options.labelSmoothing());
            }
            loss.backward();
            run.optimizer.step();
            lossSum.add_(loss.detach(), new Scalar((double) count));
            correct.add_(output.argmax(new LongOptional(1), false).eq(y).sum());
        }
    }

    /** Mean loss and accuracy on the validation digits; NaN for both without them. */
    private double[] evaluate(Run run) {
        return run.validation == null ? new double[] {Double.NaN, Double.NaN}
                : lossAndAccuracy(run.network, InputNormalization.MNIST, run.validation, device);
    }

    /** After an epoch: its weights kept if best, a checkpoint written, GPU memory logged, the listener told. */
    private void endEpoch(Run run, EpochResult result) {
        run.history.add(result);
        if (options.restoreBest()) {
            run.best.offer(run.network, result);
        }
        if (checkpoints != null) {
            checkpoints.save(new Checkpoints.State(result.epoch(), options, run.history, run.best.weights()),
                    run.network, run.optimizer);
        }
        GpuMemory.logEpoch(device, result.epoch());
        listener.epochFinished(result);
    }

    /** The network in evaluation mode, with the best epoch's weights when asked for, and its record. */
    private Result finish(Run run) {
        run.network.eval();
        double validationAccuracy = run.history.get(run.history.size() - 1).validationAccuracy();
        EpochResult best = run.best.best();
        if (options.restoreBest() && best != null) {
            run.best.restoreInto(run.network);
            validationAccuracy = best.validationAccuracy();
            listener.note(String.format(Locale.ROOT, "kept the weights of epoch %d (best validation accuracy %.2f%%)",
                    best.epoch(), 100 * validationAccuracy));
        }
        return new Result(run.network, describe(run.network, options, validationAccuracy), run.history);
    }

    /** What the model file records about a network trained with these options. */
    private static ModelInfo describe(DigitNetwork network, TrainingOptions options, double validationAccuracy) {
        return new ModelInfo(network.architecture(), InputNormalization.MNIST, DigitSet.CLASSES, validationAccuracy,
                options.asMap());
    }

    private Tensor deviceZero(torch.ScalarType type) {
        return torch.zeros(new long[] {1}, new TensorOptions(type).device(new DeviceOptional(device.torch())));
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
        DeviceOptional on = new DeviceOptional(labels.device());
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

    private static void setLearningRate(Optimizer optimizer, double lr) {
        var groups = optimizer.param_groups();
        for (long i = 0; i < groups.size(); i++) {
            groups.get(i).options().set_lr(lr);
        }
    }
}
