package dev.lenetdigits.cli;

import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.DeviceRequest;
import dev.lenetdigits.device.DeviceSettings;
import dev.lenetdigits.device.Precision;
import picocli.CommandLine.Option;

/** {@code --device}, {@code --threads} and {@code --precision}, shared by every command that runs the network. */
final class DeviceOptions {
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

    /** The precision --precision gives, or {@code otherwise} when it was not given. */
    Precision precision(Precision otherwise) {
        return precision != null ? precision : otherwise;
    }

    /** Opens the device with --threads, computing in --precision (fp32 when not given); once per command. */
    ComputeDevice open() {
        return open(precision(Precision.FP32));
    }

    /** Opens the device with --threads, computing in {@code runPrecision}; once per command. */
    ComputeDevice open(Precision runPrecision) {
        return new DeviceSettings(device, threads, runPrecision).open();
    }
}
