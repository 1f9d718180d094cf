package dev.lenetdigits.device;

import org.bytedeco.pytorch.global.torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The arithmetic the network's convolutions and fully connected layers run in. Weights, the optimizer,
 * batch statistics and the loss always stay in float32; {@link #BF16} only lets libtorch's autocast run the
 * heavy layers in bfloat16, which CPUs with AVX512-BF16 or AMX (and recent GPUs) do about twice as fast.
 */
public enum Precision {
    /** Everything in float32: the default, and the only choice that gives the same digits everywhere. */
    FP32,
    /** Convolutions and linear layers in bfloat16 through libtorch's autocast, the rest in float32. */
    BF16;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The precision written as {@link #toString()} writes it; a missing one (files from before) is fp32. */
    public static Precision parse(String text) {
        return text == null ? FP32 : valueOf(text.toUpperCase(Locale.ROOT));
    }

    /**
     * Runs the ops started inside it in this precision on {@code device}'s kind, on the calling thread
     * (libtorch's autocast state is per thread), and restores the thread's previous state on close.
     */
    public Scope enter(ComputeDevice device) {
        return this == FP32 ? Scope.NONE : new Scope(device.isCuda() ? torch.DeviceType.CUDA : torch.DeviceType.CPU);
    }

    /** True when this Linux CPU reports bfloat16 instructions (AVX512-BF16 or AMX); false elsewhere. */
    public static boolean cpuHasBf16Instructions() {
        try {
            String info = Files.readString(Path.of("/proc/cpuinfo"));
            return info.contains(" avx512_bf16") || info.contains(" amx_bf16");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** An autocast region; closing it puts the thread's autocast settings back as they were. */
    public static final class Scope implements AutoCloseable {
        static final Scope NONE = new Scope(null);
        private final torch.DeviceType type;
        private final boolean wasEnabled;
        private final boolean wasCaching;
        private final torch.ScalarType previousType;

        private Scope(torch.DeviceType type) {
            this.type = type;
            if (type == null) {
                wasEnabled = wasCaching = false;
                previousType = null;
                return;
            }
            wasEnabled = torch.is_autocast_enabled(type);
            wasCaching = torch.is_autocast_cache_enabled();
            previousType = torch.get_autocast_dtype(type);
            torch.set_autocast_dtype(type, torch.ScalarType.BFloat16);
            // libtorch can cache bfloat16 copies of the weights until at::autocast::clear_cache() (mapped as
            // torch.clear_cache()), which PyTorch calls when the outermost autocast region ends. In training a
            // region here is one step's forward, which uses each weight once, so the cache would save no cast
            // (in evaluation, one cast per layer and batch); off, no copy can outlive an optimizer step.
            torch.set_autocast_cache_enabled(false);
            torch.set_autocast_enabled(type, true);
        }

        @Override
        public void close() {
            if (type != null) {
                torch.set_autocast_enabled(type, wasEnabled);
                torch.set_autocast_dtype(type, previousType);
                torch.set_autocast_cache_enabled(wasCaching);
            }
        }
    }
}
