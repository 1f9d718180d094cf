package dev.lenetdigits.cli;

import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.DeviceRequest;
import dev.lenetdigits.device.NativeRuntime;
import picocli.CommandLine.Option;

/** {@code --device} and {@code --threads}, shared by every command that runs the network. */
final class DeviceOptions {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda",
            description = "Where to run: auto picks CUDA when libtorch sees a GPU, else the CPU (default: ${DEFAULT-VALUE}).")
    DeviceRequest device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "CPU threads for libtorch; 0 means one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    /** Sets the threads, then chooses the device; call once per command. */
    ComputeDevice select() {
        if (threads < 0 || threads > 1024) {
            throw new dev.lenetdigits.UserException("--threads: '" + threads + "' is not an integer 0-1024");
        }
        NativeRuntime.setThreads(threads);
        return NativeRuntime.select(device);
    }
}
