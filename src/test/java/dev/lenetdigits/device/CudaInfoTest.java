package dev.lenetdigits.device;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a CUDA run's footing is told; the figures are what the GPU build reports (CUDA 13.1, cuDNN 9.19.0). */
class CudaInfoTest {
    private static CudaInfo h100(int runtimeLoaded, long cudnnLoaded) {
        return new CudaInfo("NVIDIA H100 80GB HBM3", 85_520_809_984L, 9, 0, "580.159.04", 13000, 13010, runtimeLoaded,
                91900, cudnnLoaded);
    }

    @Test
    void versionsAsCudaAndCudnnWriteThem() {
        assertEquals("13.1", CudaInfo.cudaVersion(13010));
        assertEquals("12.8", CudaInfo.cudaVersion(12080));
        assertEquals("9.19.0", CudaInfo.cudnnVersion(91900));
        assertEquals("9.24.0", CudaInfo.cudnnVersion(92400));
        assertEquals("8.9.7", CudaInfo.cudnnVersion(8907));
        assertEquals("?", CudaInfo.cudaVersion(0));
        assertEquals("?", CudaInfo.cudnnVersion(0));
    }

    @Test
    void oneLineForTheDeviceAndOneForWhatItStandsOn() {
        CudaInfo info = h100(13000, 92400);
        assertEquals("NVIDIA H100 80GB HBM3, 79.6 GiB, compute capability 9.0", info.device());
        assertEquals("driver 580.159.04 (CUDA 13.0); CUDA runtime 13.0 loaded, libtorch built with 13.1; "
                + "cuDNN 9.24.0 loaded, built with 9.19.0", info.versions());
        assertEquals("GPU properties unreadable", new CudaInfo(null, 0, 0, 0, null, 0, 0, 0, 0, 0).device());
        assertTrue(new CudaInfo(null, 0, 0, 0, null, 0, 0, 0, 0, 0).versions().startsWith("driver ? (CUDA ?)"));
    }

    @Test
    void warnsOfLibrariesOlderThanLibtorchWasBuiltWith() {
        assertEquals(List.of(), h100(13010, 91900).warnings());
        assertEquals(List.of(), h100(13020, 92400).warnings(), "newer is fine");

        List<String> older = h100(13000, 91000).warnings();
        assertEquals(2, older.size(), older.toString());
        assertTrue(older.get(0).startsWith("the loaded cuDNN 9.10.0 is older than the 9.19.0 libtorch was built with"),
                older.get(0));
        assertTrue(older.get(1).startsWith("the loaded CUDA runtime 13.0 is older than the 13.1 libtorch was built with"),
                older.get(1));

        assertEquals(List.of(), new CudaInfo(null, 0, 0, 0, null, 0, 0, 0, 0, 0).warnings(), "unknown is no warning");
    }

    @Test
    void driverVersionFromTheKernelModulesLine() {
        assertEquals("580.159.04", CudaInfo.driverVersion("NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.159.04  "
                + "Release Build  (dvs-builder@U16-I3-B03-4-3)  Thu Oct 30 2025\nGCC version:  gcc version 12.2.0\n"));
        assertEquals("580.82.07", CudaInfo.driverVersion("NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  "
                + "580.82.07  Release Build  (dvs-builder@U22)  Wed Aug 13 2025"));
        assertNull(CudaInfo.driverVersion("no such text"));
    }
}
