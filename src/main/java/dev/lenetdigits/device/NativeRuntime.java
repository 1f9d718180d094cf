package dev.lenetdigits.device;

import dev.lenetdigits.UserException;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_full;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that loads libtorch, sets its threads and chooses the device. See native-config/README.md
 * for why each setting is what it is.
 */
public final class NativeRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(NativeRuntime.class);
    private static final String GPU_EXTENSION = "-gpu";
    private static boolean loaded;

    private NativeRuntime() {}

    /**
     * Loads the natives once. A GPU build (the {@code gpu} Maven profile) carries libtorch under the
     * platform extension "-gpu"; JavaCPP only looks there when told to, so we tell it when it is present.
     */
    public static synchronized void load() {
        if (loaded) {
            return;
        }
        if (isGpuBuild() && System.getProperty("org.bytedeco.javacpp.platform.extension") == null) {
            System.setProperty("org.bytedeco.javacpp.platform.extension", GPU_EXTENSION);
        }
        // OpenBLAS's own thread pool competes with libtorch's OpenMP threads for the same cores:
        // libtorch already parallelises around each BLAS call, so BLAS itself runs single-threaded.
        try {
            Loader.load(openblas_full.class);
            openblas_full.openblas_set_num_threads(1);
            Loader.load(torch.class);
        } catch (UnsatisfiedLinkError e) {
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("").trim();
            throw new UserException("cannot load libtorch's natives (" + reason + ")" + (isGpuBuild()
                    ? "; this GPU build needs CUDA 13.x and cuDNN 9 on LD_LIBRARY_PATH even for --device cpu "
                    + "(see native-config/README.md), or use the CPU build"
                    : "; see native-config/README.md"));
        }
        loaded = true;
    }

    /** True when this jar carries libtorch's CUDA natives (built with {@code mvn package -Pgpu}). */
    public static boolean isGpuBuild() {
        String resource = "org/bytedeco/pytorch/" + Loader.getPlatform() + GPU_EXTENSION + "/";
        return NativeRuntime.class.getClassLoader().getResource(resource) != null;
    }

    /** Sets libtorch's intra-op threads; 0 means one per core. Inter-op parallelism is not used. */
    public static int setThreads(int threads) {
        load();
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        torch.set_num_threads(n);
        return n;
    }

    /**
     * The GPU's name and memory. The property type comes from the CUDA preset, which only the GPU build
     * carries, so it is reached reflectively to keep the CPU build free of it.
     */
    private static String describeCuda(int index) {
        try {
            Class<?> torchCuda = Class.forName("org.bytedeco.pytorch.global.torch_cuda");
            Object properties = torchCuda.getMethod("getDeviceProperties", byte.class).invoke(null, (byte) index);
            Object name = properties.getClass().getMethod("name").invoke(properties);
            long memory = (long) properties.getClass().getMethod("totalGlobalMem").invoke(properties);
            String text = name instanceof org.bytedeco.javacpp.BytePointer p ? p.getString() : String.valueOf(name);
            return String.format(java.util.Locale.ROOT, "%s, %.1f GiB", text, memory / (double) (1L << 30));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return "properties unavailable: " + e.getClass().getSimpleName();
        }
    }

    /** Chooses the device: CUDA when asked for or when available under "auto", else the CPU. */
    public static ComputeDevice select(DeviceRequest request) {
        load();
        boolean cuda = torch.cuda_is_available();
        if (request == DeviceRequest.CUDA && !cuda) {
            if (!isGpuBuild()) {
                throw new UserException("--device cuda: this build carries libtorch's CPU natives only; "
                        + "build the GPU jar with 'mvn package -Pgpu' (see native-config/README.md)");
            }
            throw new UserException("--device cuda: libtorch sees no CUDA device (check the NVIDIA driver "
                    + "and that CUDA 13.x and cuDNN 9 are on LD_LIBRARY_PATH; see native-config/README.md)");
        }
        ComputeDevice device;
        if (request != DeviceRequest.CPU && cuda) {
            // The network's shapes never change, so cuDNN's one-off search for the fastest kernels pays off.
            torch.globalContext().setBenchmarkCuDNN(true);
            device = new ComputeDevice(new Device(torch.DeviceType.CUDA, (byte) 0), "cuda:0 (" + describeCuda(0)
                    + ", " + torch.cuda_device_count() + " device(s) visible)");
        } else {
            device = new ComputeDevice(new Device(torch.DeviceType.CPU),
                    "cpu (" + torch.get_num_threads() + " threads)");
        }
        LOG.info("device: {}", device.description());
        return device;
    }
}
