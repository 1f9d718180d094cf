package dev.lenetdigits.cli;

import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.NativeRuntime;
import dev.lenetdigits.device.Precision;
import org.bytedeco.pytorch.global.torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "device", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show what the network would run on: the natives this jar carries, whether libtorch can use "
                + "CUDA (the GPU, driver, CUDA runtime and cuDNN versions, or the first library or symbol that is "
                + "missing), and the device --device chooses. With --device cuda it fails, as training would, where "
                + "CUDA cannot be used.")
final class DeviceCommand implements Runnable {
    @Mixin
    DeviceOptions deviceOptions;

    @Override
    public void run() {
        System.out.println("natives: " + NativeRuntime.nativesPlatform() + (NativeRuntime.isGpuBuild() ? " (GPU build)" : " (CPU build)"));
        System.out.println("cuda: " + NativeRuntime.cudaStatus());
        System.out.flush();
        ComputeDevice device = deviceOptions.open();
        System.out.println("device: " + device.description());
        System.out.println("cpu: " + torch.get_cpu_capability().getString() + " kernels, bfloat16 instructions "
                + (Precision.cpuHasBf16Instructions() ? "yes" : "no"));
    }
}
