package dev.lenetdigits.device;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding why an optional native library did not load, with real loader failures: copies of a library of the
 * CPU build (JavaCPP's own JNI library) in which one needed library or one imported symbol is renamed, so that
 * glibc's loader refuses them before any of their code runs. This is what the GPU jar meets on a machine
 * without CUDA's libraries, where libtorch_cuda.so needs a libcusparse.so.12 the loader cannot find. The library
 * that loads is a copy of libtorch.so, which holds nothing but its need of libtorch_cpu.so.
 */
class CudaDiagnosisTest {
    @TempDir
    static Path libraries;

    /** Preloads the way libtorch's preset lists c10_cuda and torch_cuda: optional, tried in order. */
    @Properties(@Platform(preload = {"jnijavacpp", "lenet_probe_ok", "lenet_probe_missing_library"}))
    static final class MissingLibrary {}

    @Properties(@Platform(preload = {"lenet_probe_undefined_symbol", "lenet_probe_missing_library"}))
    static final class UndefinedSymbol {}

    @Properties(@Platform(preload = {"jnijavacpp", "lenet_probe_not_anywhere@.7"}, link = "lenet_probe_ok"))
    static final class AllThere {}

    @BeforeAll
    static void makeLibraries() throws IOException {
        NativeRuntime.load();
        Path javacpp = Path.of(Loader.getLoadedLibraries().get("jnijavacpp"));
        Files.copy(Path.of(Loader.getLoadedLibraries().get("torch")), libraries.resolve("liblenet_probe_ok.so"));
        renamed(javacpp, "libgcc_s.so.1", "libgcc_q.so.1", libraries.resolve("liblenet_probe_missing_library.so"));
        renamed(javacpp, "stderr", "stdqrr", libraries.resolve("liblenet_probe_undefined_symbol.so"));
    }

    /** A copy of {@code library} with every string {@code from} of its string tables renamed {@code to}. */
    private static void renamed(Path library, String from, String to, Path copy) throws IOException {
        byte[] bytes = Files.readAllBytes(library);
        byte[] find = ("\0" + from + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] put = ("\0" + to + "\0").getBytes(StandardCharsets.US_ASCII);
        int renamed = 0;
        for (int i = 0; i + find.length <= bytes.length; i++) {
            int j = 0;
            while (j < find.length && bytes[i + j] == find[j]) {
                j++;
            }
            if (j == find.length) {
                System.arraycopy(put, 0, bytes, i, put.length);
                renamed++;
            }
        }
        assertTrue(renamed > 0, from + " is not in " + library);
        Files.write(copy, bytes);
    }

    private static Optional<String> firstFailure(Class<?> preset) {
        java.util.Properties platform = new java.util.Properties();
        platform.putAll(Loader.loadProperties());
        platform.setProperty("platform.preloadpath", libraries.toString());
        return CudaDiagnosis.firstFailure(preset, platform);
    }

    @Test
    void namesTheLibraryTheLoaderCouldNotFind() {
        assertEquals(Optional.of("liblenet_probe_missing_library.so: libgcc_q.so.1: cannot open shared object file"),
                firstFailure(MissingLibrary.class));
        assertTrue(Loader.getLoadedLibraries().containsKey("lenet_probe_ok"), "the loadable one before it was loaded");
    }

    @Test
    void namesTheSymbolTheLoaderCouldNotResolve() {
        assertEquals(Optional.of("liblenet_probe_undefined_symbol.so: undefined symbol: stdqrr, version GLIBC_2.2.5"),
                firstFailure(UndefinedSymbol.class));
    }

    @Test
    void nothingWhenEveryLibraryThereLoadedAndTheRestAreNowhere() {
        assertEquals(Optional.empty(), firstFailure(AllThere.class));
    }
}
