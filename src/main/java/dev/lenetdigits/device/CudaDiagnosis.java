package dev.lenetdigits.device;

import org.bytedeco.javacpp.ClassProperties;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Why libtorch cannot use CUDA here, in one line, taken from the dynamic loader and the CUDA runtime rather than
 * guessed.
 *
 * <p>JavaCPP loads libtorch's CUDA part (libc10_cuda.so, libtorch_cuda.so) as optional preloads: when one fails,
 * for want of a CUDA library say, it goes on with the CPU part and keeps the loader's message to itself
 * (bytedeco/javacpp-presets#1643 and #1565: "cuda_is_available() is false"). So every library the jar carries
 * that is not loaded is loaded once more here, and the first failure is reported. When all of them loaded, the
 * CUDA runtime is asked why it counts no device.
 */
final class CudaDiagnosis {
    static final String SEE = "see native-config/README.md";
    /** Found once: a second try at a class whose natives failed hides the loader's words behind "Could not initialize". */
    private static String reason;

    private CudaDiagnosis() {}

    /** Why {@code torch.cuda_is_available()} is false; call after {@link NativeRuntime#load()}. */
    static synchronized String whyUnavailable() {
        if (reason == null) {
            reason = diagnose();
        }
        return reason;
    }

    private static String diagnose() {
        if (!NativeRuntime.isGpuBuild()) {
            return "this build carries libtorch's CPU natives only; build the GPU jar with 'mvn package -Pgpu' (" + SEE + ")";
        }
        Optional<String> failed = firstFailure(torch.class, Loader.loadProperties());
        if (failed.isPresent()) {
            return "libtorch's CUDA part did not load: " + failed.get() + " (CUDA 13 and cuDNN 9 must be where the "
                    + "loader finds them, such as LD_LIBRARY_PATH; " + SEE + ")";
        }
        return "libtorch's CUDA part loaded, but " + CudaInfo.whyNoDevice() + " (" + SEE + ")";
    }

    /**
     * The first library that {@code preset} loads (its preloads, then its links, as JavaCPP orders them) which is
     * there to be loaded, from the jar or a folder JavaCPP searches, but is not loaded: the loader's reason for it.
     * Libraries JavaCPP cannot find anywhere are skipped: JavaCPP only tries them in passing, and where one is
     * really needed the loader names it as missing for a library that needs it.
     *
     * @param platform JavaCPP's platform properties ({@link Loader#loadProperties()}), platform.extension included
     */
    static Optional<String> firstFailure(Class<?> preset, Properties platform) {
        Class<?> owner = Loader.getEnclosingClass(preset);
        ClassProperties properties = Loader.loadProperties(owner, platform, true);
        List<String> libraries = new ArrayList<>(properties.get("platform.preload"));
        libraries.addAll(properties.get("platform.link"));
        for (String library : libraries) {
            if (library.trim().endsWith("#") || Loader.getLoadedLibraries().containsKey(loadedName(library))) {
                continue;
            }
            URL[] urls = Loader.findLibrary(owner, properties, library);
            if (urls.length == 0) {
                continue;
            }
            try {
                Loader.loadLibrary(owner, urls, library);
            } catch (UnsatisfiedLinkError e) {
                return Optional.of(NativeLoadFailure.reason(e));
            }
        }
        return Optional.empty();
    }

    /** The key JavaCPP files a loaded library under: the name after "#" where there is one ("a@.0#b@.0" is "b@.0"). */
    private static String loadedName(String library) {
        String[] parts = library.split("#");
        return parts.length > 1 ? parts[1] : parts[0];
    }
}
