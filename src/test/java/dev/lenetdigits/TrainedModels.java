package dev.lenetdigits;

import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.DeviceRequest;
import dev.lenetdigits.device.NativeRuntime;
import dev.lenetdigits.model.DigitNetwork;
import dev.lenetdigits.training.OptimizerKind;
import dev.lenetdigits.training.Trainer;
import dev.lenetdigits.training.TrainingListener;
import dev.lenetdigits.training.TrainingOptions;

/** A short training run on the 300 fixture digits, shared by tests that need a trained model. */
public final class TrainedModels {
    private static Trainer.Result small;

    private TrainedModels() {}

    public static ComputeDevice cpu() {
        NativeRuntime.setThreads(2);
        return NativeRuntime.select(DeviceRequest.CPU);
    }

    public static TrainingOptions shortRun(long seed) {
        return new TrainingOptions(6, 32, 0.02, OptimizerKind.SGD, 0.9, 0.9, seed, 0.0);
    }

    public static Trainer.Result train(TrainingOptions options) {
        DigitSet digits = DigitFiles.read(Fixtures.kaggleTrain());
        return new Trainer(options, cpu(), TrainingListener.NONE).train(digits);
    }

    /** True when every parameter of both networks is bit-for-bit equal. */
    public static boolean sameWeights(DigitNetwork a, DigitNetwork b) {
        var pa = a.named_parameters();
        var pb = b.named_parameters();
        if (pa.size() != pb.size()) {
            return false;
        }
        for (long i = 0; i < pa.size(); i++) {
            if (!pa.get(i).access().equal(pb.get(pa.get(i).key().getString()))) {
                return false;
            }
        }
        return true;
    }

    public static synchronized Trainer.Result small() {
        if (small == null) {
            small = train(shortRun(7));
        }
        return small;
    }
}
