package dev.lenetdigits.device;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.cuda.DeviceStats;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Optional;

/**
 * GPU memory as libtorch's CUDA caching allocator counts it. A tensor freed by its {@code PointerScope} goes back
 * to the allocator's cache, not to the driver, so nvidia-smi shows the reserved figure only and cannot tell a leak
 * from a full cache; the allocated figure (memory held by live tensors) can.
 *
 * @param allocatedBytes memory held by live tensors
 * @param reservedBytes  memory the allocator holds from the driver (allocated plus cached)
 */
public record GpuMemory(long allocatedBytes, long reservedBytes) {
    private static final Logger LOG = LoggerFactory.getLogger(GpuMemory.class);

    /** The device's figures now; empty on the CPU. */
    public static Optional<GpuMemory> of(ComputeDevice device) {
        if (!device.isCuda()) {
            return Optional.empty();
        }
        try (PointerScope scope = new PointerScope()) {
            // at::accelerator::getDeviceStats: the current accelerator's caching allocator, here CUDA's
            DeviceStats stats = torch.getDeviceStats(device.torch().has_index() ? device.torch().index() : 0);
            // each figure is an array over pools; its first element is the aggregate of all of them
            return Optional.of(new GpuMemory(stats.allocated_bytes().current(), stats.reserved_bytes().current()));
        }
    }

    /** Logs the device's figures at debug level after a training epoch; nothing on the CPU. */
    public static void logEpoch(ComputeDevice device, int epoch) {
        if (LOG.isDebugEnabled()) {
            of(device).ifPresent(m -> LOG.debug("epoch {}: GPU memory {}", epoch, m.format()));
        }
    }

    /** "allocated 57.2 MB, reserved 104.9 MB" */
    public String format() {
        return String.format(Locale.ROOT, "allocated %.1f MB, reserved %.1f MB", allocatedBytes / 1e6, reservedBytes / 1e6);
    }
}
