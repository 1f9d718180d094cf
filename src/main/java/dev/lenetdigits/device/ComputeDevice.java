package dev.lenetdigits.device;

import org.bytedeco.pytorch.Device;

/**
 * The device tensors and modules live on, chosen once by {@link NativeRuntime#select}. Everything else
 * takes one of these as an argument instead of deciding for itself.
 *
 * @param torch       libtorch's device
 * @param description what the log says: "cpu (2 threads)" or "cuda:0 (NVIDIA H100, 79.1 GiB)"
 */
public record ComputeDevice(Device torch, String description) {
    public boolean isCuda() {
        return torch.is_cuda();
    }

    /** Short name for figures and file metadata: "cpu" or "cuda". */
    public String kind() {
        return isCuda() ? "cuda" : "cpu";
    }
}
