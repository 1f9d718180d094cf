package dev.lenetdigits.device;

import dev.lenetdigits.UserException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a run wants its device: {@code --device}, {@code --threads} and {@code --precision}. {@link #open()} is
 * the one place a run's device is opened (the training CLI, an ensemble member's process, the inference CLI
 * and its benchmark), so the threads, the choice of device and what is said about the precision are the same
 * everywhere.
 *
 * @param request   CPU, CUDA, or CUDA when libtorch sees a GPU
 * @param threads   libtorch's CPU threads; 0 means one per core
 * @param precision what the network's heavy layers compute in
 */
public record DeviceSettings(DeviceRequest request, int threads, Precision precision) {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceSettings.class);
    private static final String DEVICE = "--device";
    private static final String THREADS = "--threads";
    private static final String PRECISION = "--precision";

    public DeviceSettings {
        if (threads < 0 || threads > 1024) {
            throw new UserException(THREADS + ": '" + threads + "' is not an integer 0-1024");
        }
    }

    /** Sets libtorch's threads, chooses the device and says what bf16 will do there; call once per run. */
    public ComputeDevice open() {
        NativeRuntime.setThreads(threads);
        ComputeDevice device = NativeRuntime.select(request).withPrecision(precision);
        if (precision == Precision.BF16) {
            if (!device.isCuda() && !Precision.cpuHasBf16Instructions()) {
                LOG.warn("precision: bf16 for convolutions and linear layers (this CPU reports no bfloat16 "
                        + "instructions, so it will likely be slower than fp32)");
            } else {
                LOG.info("precision: bf16 for convolutions and linear layers");
            }
        }
        return device;
    }

    /** The flags that open {@code device} again, with {@code threads} threads, in another process. */
    public static List<String> flagsFor(ComputeDevice device, int threads) {
        return List.of(DEVICE, device.kind(), THREADS, Integer.toString(threads), PRECISION,
                device.precision().toString());
    }

    /** The inverse of {@link #flagsFor}: the settings in flag → value (other flags are left alone). */
    public static DeviceSettings fromFlags(Map<String, String> flags) {
        if (!flags.keySet().containsAll(List.of(DEVICE, THREADS, PRECISION))) {
            throw new IllegalArgumentException("expected " + DEVICE + ", " + THREADS + " and " + PRECISION + " in " + flags);
        }
        return new DeviceSettings(DeviceRequest.valueOf(flags.get(DEVICE).toUpperCase(Locale.ROOT)),
                Integer.parseInt(flags.get(THREADS)), Precision.parse(flags.get(PRECISION)));
    }
}
