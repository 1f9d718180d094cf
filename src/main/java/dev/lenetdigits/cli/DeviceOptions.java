package dev.lenetdigits.cli;

import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.DeviceRequest;
import dev.lenetdigits.device.NativeRuntime;
import dev.lenetdigits.device.Precision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** {@code --device}, {@code --threads} and {@code --precision}, shared by every command that runs the network. */
final class DeviceOptions {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceOptions.class);

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda",
            description = "Where to run: auto picks CUDA when libtorch sees a GPU, else the CPU (default: ${DEFAULT-VALUE}).")
    DeviceRequest device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "CPU threads for libtorch; 0 means one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    // no picocli default: null tells "not given", so that a resumed run keeps the precision it started with
    @Option(names = "--precision", paramLabel = "fp32|bf16",
            description = "fp32, or bf16: convolutions and linear layers in bfloat16 (weights, optimizer and loss "
                    + "stay float32); faster on CPUs with AVX512-BF16 or AMX (default: fp32; train --resume: "
                    + "the precision the run started with).")
    Precision precision;

    /** Sets the threads, then chooses the device; call once per command. */
    ComputeDevice select() {
        return select(Precision.FP32);
    }

    /** As {@link #select()}, with {@code otherwise} as the precision when --precision was not given. */
    ComputeDevice select(Precision otherwise) {
        Precision precision = this.precision != null ? this.precision : otherwise;
        if (threads < 0 || threads > 1024) {
            throw new dev.lenetdigits.UserException("--threads: '" + threads + "' is not an integer 0-1024");
        }
        NativeRuntime.setThreads(threads);
        ComputeDevice chosen = NativeRuntime.select(device).withPrecision(precision);
        if (precision == Precision.BF16) {
            boolean slow = !chosen.isCuda() && !Precision.cpuHasBf16Instructions();
            LOG.info("precision: bf16 for convolutions and linear layers{}", slow
                    ? " (this CPU reports no bfloat16 instructions, so it will likely be slower than fp32)" : "");
        }
        return chosen;
    }
}
