package dev.lenetdigits.device;

import dev.lenetdigits.UserException;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_full;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
        try (CacheLock lock = CacheLock.acquire()) {
            Loader.load(openblas_full.class);
            openblas_full.openblas_set_num_threads(1);
            Loader.load(torch.class);
        } catch (UnsatisfiedLinkError e) {
            throw new UserException("cannot load libtorch's natives: " + NativeLoadFailure.reason(e) + (isGpuBuild()
                    ? " (this GPU build's libtorch_cpu.so needs the CUDA 13 runtime, libcudart.so.13 and libcupti.so.13, "
                    + "even for --device cpu; see native-config/README.md, or use the CPU build)"
                    : " (see native-config/README.md)"));
        }
        loaded = true;
    }

    /**
     * Holds other processes of this tool off JavaCPP's native cache while this one unpacks and loads
     * libtorch. JavaCPP's own lock covers each file's extraction but not the load that follows, so a second
     * JVM started at the same moment could rewrite a library the first was mapping: SIGBUS (two trainings
     * launched together on a fresh cache crashed now and then; bytedeco/javacpp#608). Held for the load
     * only; where no lock can be had the load goes ahead as before.
     */
    private static final class CacheLock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private CacheLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        static CacheLock acquire() {
            FileChannel channel = null;
            try {
                // not JavaCPP's own ".lock": locking that file here would make its lock throw in this JVM
                Path file = Loader.getCacheDir().toPath().resolve(".lenet-digits-load.lock");
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                return new CacheLock(channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                LOG.debug("loading libtorch without the cache lock: {}", e.toString());
                closeQuietly(channel);
                return new CacheLock(null, null);
            }
        }

        @Override
        public void close() {
            try {
                if (lock != null) {
                    lock.release();
                }
            } catch (IOException e) {
                LOG.debug("releasing the cache lock: {}", e.toString());
            }
            closeQuietly(channel); // closing the channel releases the lock in any case
        }

        private static void closeQuietly(FileChannel channel) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // nothing held any more
            }
        }
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

    /** The folder of libtorch's natives in this jar: "linux-x86_64", or "linux-x86_64-gpu" for the GPU build. */
    public static String nativesPlatform() {
        return Loader.getPlatform() + (isGpuBuild() ? GPU_EXTENSION : "");
    }

    /**
     * One line on CUDA here: the GPUs libtorch sees and the driver, runtime and cuDNN versions, or why it sees
     * none (the first library or symbol the loader missed, or the CUDA runtime's error).
     */
    public static String cudaStatus() {
        load();
        if (!torch.cuda_is_available()) {
            return "not usable: " + CudaDiagnosis.whyUnavailable();
        }
        return "usable, " + torch.cuda_device_count() + " GPU(s) visible; " + CudaInfo.read(0).versions();
    }

    /**
     * Chooses the device: CUDA when asked for or when available under "auto", else the CPU. When CUDA was asked
     * for and cannot be had, the reason ends the command (--device cuda) or is said once in a warning (auto, on
     * the GPU build) before the work goes on with the CPU.
     */
    public static ComputeDevice select(DeviceRequest request) {
        load();
        boolean cuda = request != DeviceRequest.CPU && torch.cuda_is_available();
        if (request != DeviceRequest.CPU && !cuda) {
            String why = CudaDiagnosis.whyUnavailable();
            if (request == DeviceRequest.CUDA) {
                throw new UserException("--device cuda: " + why);
            }
            if (isGpuBuild()) {
                LOG.warn("CUDA not used, running on the CPU: {}", why);
            }
        }
        ComputeDevice device;
        if (cuda) {
            // The network's shapes never change, so cuDNN's one-off search for the fastest kernels pays off.
            torch.globalContext().setBenchmarkCuDNN(true);
            CudaInfo info = CudaInfo.read(0);
            device = new ComputeDevice(new Device(torch.DeviceType.CUDA, (byte) 0), "cuda:0 (" + info.device()
                    + ", " + torch.cuda_device_count() + " device(s) visible)");
            LOG.info("device: {}", device.description());
            LOG.info("cuda: {}", info.versions());
            info.warnings().forEach(LOG::warn);
        } else {
            device = new ComputeDevice(new Device(torch.DeviceType.CPU),
                    "cpu (" + torch.get_num_threads() + " threads)");
            LOG.info("device: {}", device.description());
        }
        return device;
    }
}
