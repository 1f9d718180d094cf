package dev.lenetdigits.device;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The loader's words as the JDK and JavaCPP pass them on (messages as seen on Linux with glibc). */
class NativeLoadFailureTest {
    @Test
    void theLoaderMessageInTheCauseWinsOverJavaCppsFallback() {
        UnsatisfiedLinkError dlopen = new UnsatisfiedLinkError("/root/.javacpp/cache/pytorch-2.10.0-1.5.13-linux-x86_64-gpu.jar"
                + "/org/bytedeco/pytorch/linux-x86_64-gpu/libtorch_cuda.so: libcusparse.so.12: cannot open shared object "
                + "file: No such file or directory");
        UnsatisfiedLinkError fallback = new UnsatisfiedLinkError("no torch_cuda in java.library.path: "
                + "/usr/java/packages/lib:/usr/lib/x86_64-linux-gnu/jni:/lib/x86_64-linux-gnu");
        fallback.initCause(dlopen);
        assertEquals("libtorch_cuda.so: libcusparse.so.12: cannot open shared object file",
                NativeLoadFailure.reason(fallback));
    }

    @Test
    void eachFileNamedOnceWithoutItsFolder() {
        assertEquals("libx.so: undefined symbol: cudaFoo, version libcudart.so.13", NativeLoadFailure.reason(
                new UnsatisfiedLinkError("/tmp/c/libx.so: /tmp/c/libx.so: undefined symbol: cudaFoo, version libcudart.so.13")));
        assertEquals("libx.so: libc.so.6: version `GLIBC_2.99' not found (required by libx.so)",
                NativeLoadFailure.reason(new UnsatisfiedLinkError("/opt/n/libx.so: /lib/x86_64-linux-gnu/libc.so.6: "
                        + "version `GLIBC_2.99' not found (required by /opt/n/libx.so)")));
    }

    @Test
    void withoutLoaderWordsTheInnermostMessageWithoutTheSearchPath() {
        UnsatisfiedLinkError outer = new UnsatisfiedLinkError("no jnicudart in java.library.path: /usr/lib:/lib");
        assertEquals("no jnicudart in java.library.path", NativeLoadFailure.reason(outer));
        assertEquals("UnsatisfiedLinkError", NativeLoadFailure.reason(new UnsatisfiedLinkError()));
    }
}
