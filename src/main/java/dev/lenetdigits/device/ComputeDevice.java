package dev.lenetdigits.device;

import org.bytedeco.pytorch.Device;

/**
 * The device tensors and modules live on, chosen once by {@link NativeRuntime#select}, and the precision the
 * network's layers compute in there. Everything else takes one of these as an argument instead of deciding
 * for itself.
 *
 * @param torch       libtorch's device
 * @param description what the log says: "cpu (2 threads)" or "cuda:0 (NVIDIA H100, 79.1 GiB)"
 * @param precision   float32, or bfloat16 for the heavy layers (see {@link Precision})
 */
public record ComputeDevice(Device torch, String description, Precision precision) {
    /** A device computing in float32. */
    public ComputeDevice(Device torch, String description) {
        this(torch, description, Precision.FP32);
    }

    public boolean isCuda() {
        return torch.is_cuda();
    }

    /** Short name for figures and file metadata: "cpu" or "cuda". */
    public String kind() {
        return isCuda() ? "cuda" : "cpu";
    }

    /** The same device computing in {@code p}. */
    public ComputeDevice withPrecision(Precision p) {
        return new ComputeDevice(torch, description, p);
    }

    /** Opens this device's precision on the calling thread (see {@link Precision#enter}); use with try. */
    public Precision.Scope autocast() {
        return precision.enter(this);
    }
}
