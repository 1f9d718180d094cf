package dev.lenetdigits.device;

import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a CUDA run stands on: the GPU, the NVIDIA driver, and the CUDA runtime and cuDNN that libtorch was built
 * with beside those it loaded. A figure that could not be read is 0 (null for text) and shows as "?".
 *
 * <p>The CUDA runtime's own API comes from the CUDA preset ({@code org.bytedeco:cuda}), which only the GPU build
 * packs: only this class touches it, and only once libtorch's CUDA part has loaded.
 *
 * @param driver        the kernel module's version ("580.159.04"), from /proc/driver/nvidia/version
 * @param driverCuda    the newest CUDA version the driver supports, as CUDA writes versions (13000 is 13.0)
 * @param runtimeBuilt  the CUDA runtime libtorch was compiled against
 * @param runtimeLoaded the CUDA runtime libcudart.so that is loaded
 * @param cudnnBuilt    cuDNN libtorch was compiled against, as cuDNN writes versions (91900 is 9.19.0)
 * @param cudnnLoaded   the cuDNN that is loaded
 */
record CudaInfo(String gpu, long memoryBytes, int capabilityMajor, int capabilityMinor, String driver,
                int driverCuda, int runtimeBuilt, int runtimeLoaded, long cudnnBuilt, long cudnnLoaded) {
    private static final Logger LOG = LoggerFactory.getLogger(CudaInfo.class);
    private static final Path DRIVER_VERSION_FILE = Path.of("/proc/driver/nvidia/version");

    /** Reads everything it can about {@code device}; what fails to read is left unknown (and logged at debug). */
    static CudaInfo read(int device) {
        String gpu = null;
        long memory = 0;
        int major = 0;
        int minor = 0;
        try (PointerScope scope = new PointerScope()) {
            cudaDeviceProp properties = new cudaDeviceProp();
            if (cudart.cudaGetDeviceProperties(properties, device) == cudart.cudaSuccess) {
                gpu = properties.name().getString();
                memory = properties.totalGlobalMem();
                major = properties.major();
                minor = properties.minor();
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("GPU properties unreadable: {}", e.toString());
        }
        int[] version = new int[1];
        return new CudaInfo(gpu, memory, major, minor, driverVersion(),
                readInt("driver's CUDA version", () -> cudart.cudaDriverGetVersion(version) == cudart.cudaSuccess ? version[0] : 0),
                readInt("CUDA runtime built", () -> (int) Context.versionCUDART()),
                readInt("CUDA runtime loaded", () -> cudart.cudaRuntimeGetVersion(version) == cudart.cudaSuccess ? version[0] : 0),
                readLong("cuDNN built", Context::versionCuDNN),
                readLong("cuDNN loaded", Context::versionRuntimeCuDNN));
    }

    /**
     * Why the CUDA runtime finds no GPU although libtorch's CUDA part loaded: its error for the device count,
     * or the library that kept its binding from loading (no libcuda.so.1: no NVIDIA driver).
     */
    static String whyNoDevice() {
        try {
            int[] count = new int[1];
            int status = cudart.cudaGetDeviceCount(count);
            if (status != cudart.cudaSuccess) {
                return "the CUDA runtime finds no GPU: " + cudart.cudaGetErrorName(status).getString() + ", "
                        + cudart.cudaGetErrorString(status).getString();
            }
            return count[0] == 0 ? "the CUDA runtime finds no GPU"
                    : "libtorch sees no GPU where the CUDA runtime counts " + count[0];
        } catch (LinkageError e) {
            String reason = NativeLoadFailure.reason(e);
            return (reason.contains("libcuda.so") ? "the NVIDIA driver's library did not load: "
                    : "the CUDA runtime's binding did not load: ") + reason;
        }
    }

    /** "NVIDIA H100 80GB HBM3, 79.1 GiB, compute capability 9.0" */
    String device() {
        if (gpu == null) {
            return "GPU properties unreadable";
        }
        return String.format(Locale.ROOT, "%s, %.1f GiB, compute capability %d.%d", gpu,
                memoryBytes / (double) (1L << 30), capabilityMajor, capabilityMinor);
    }

    /** "driver 580.159.04 (CUDA 13.0); CUDA runtime 13.0 loaded, libtorch built with 13.1; cuDNN 9.24.0 loaded, built with 9.19.0" */
    String versions() {
        return String.format(Locale.ROOT, "driver %s (CUDA %s); CUDA runtime %s loaded, libtorch built with %s; "
                        + "cuDNN %s loaded, built with %s", driver == null ? "?" : driver, cudaVersion(driverCuda),
                cudaVersion(runtimeLoaded), cudaVersion(runtimeBuilt), cudnnVersion(cudnnLoaded), cudnnVersion(cudnnBuilt));
    }

    /** One line for each library older than libtorch expects; empty when all is as built, or unknown. */
    List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        if (cudnnLoaded > 0 && cudnnBuilt > 0 && cudnnLoaded < cudnnBuilt) {
            warnings.add("the loaded cuDNN " + cudnnVersion(cudnnLoaded) + " is older than the " + cudnnVersion(cudnnBuilt)
                    + " libtorch was built with, and libtorch does not check: put cuDNN " + cudnnVersion(cudnnBuilt)
                    + " or newer first on LD_LIBRARY_PATH if convolutions fail or slow down");
        }
        if (runtimeLoaded > 0 && runtimeBuilt > 0 && runtimeLoaded < runtimeBuilt) {
            warnings.add("the loaded CUDA runtime " + cudaVersion(runtimeLoaded) + " is older than the "
                    + cudaVersion(runtimeBuilt) + " libtorch was built with: a function new in " + cudaVersion(runtimeBuilt)
                    + " would fail at its first call ('symbol lookup error'); 'ldd -r' on the natives lists any "
                    + "(native-config/README.md)");
        }
        return warnings;
    }

    /** CUDA's version numbers: 13010 is "13.1"; 0 is "?". */
    static String cudaVersion(int version) {
        return version <= 0 ? "?" : (version / 1000) + "." + (version % 1000) / 10;
    }

    /** cuDNN's: 91900 is "9.19.0" (cuDNN 9 writes major*10000 + minor*100 + patch; 8 wrote major*1000 + ...); 0 is "?". */
    static String cudnnVersion(long version) {
        if (version <= 0) {
            return "?";
        }
        long major = version >= 90000 ? version / 10000 : version / 1000;
        long minor = version >= 90000 ? version % 10000 / 100 : version % 1000 / 100;
        return major + "." + minor + "." + version % 100;
    }

    /** The kernel module's version from the text of /proc/driver/nvidia/version, or null. */
    static String driverVersion(String procText) {
        Matcher m = Pattern.compile("Kernel Module.*?\\s(\\d+\\.\\d+(?:\\.\\d+)?)(?:\\s|$)").matcher(procText);
        return m.find() ? m.group(1) : null;
    }

    private static String driverVersion() {
        try {
            return driverVersion(Files.readString(DRIVER_VERSION_FILE));
        } catch (IOException | RuntimeException e) {
            return null; // not Linux, or a container without the driver's /proc entry
        }
    }

    private static int readInt(String what, IntSupplier read) {
        try {
            return read.getAsInt();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("{} unreadable: {}", what, e.toString());
            return 0;
        }
    }

    private static long readLong(String what, LongSupplier read) {
        try {
            return read.getAsLong();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("{} unreadable: {}", what, e.toString());
            return 0;
        }
    }
}
