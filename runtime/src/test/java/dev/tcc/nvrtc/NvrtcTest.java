package dev.tcc.nvrtc;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NvrtcTest {
    private static final String SAXPY = """
            // é: a non-ASCII comment must survive the trip to NVRTC
            extern "C" __global__ void saxpy(float a, const float* x, float* y, int n) {
                int i = blockIdx.x * blockDim.x + threadIdx.x;
                if (i < n) y[i] = a * x[i] + y[i];
            }
            """;
    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final int EM_CUDA = 190;

    private Nvrtc nvrtc;

    /** Per test, not @BeforeAll, so that each test shows up as skipped with the reason. */
    @BeforeEach
    void findNvrtc() {
        nvrtc = NvrtcAssumptions.nvrtcOrSkip();
    }

    @Test
    void reportsItsVersion() {
        assertTrue(nvrtc.version().matches("1[2-9]\\.\\d+"), nvrtc.version());
    }

    @Test
    void compilesAKernelToAnSm90Cubin() {
        CompileResult r = nvrtc.compile(SAXPY, "saxpy.cu", "sm_90", List.of());
        assertCudaElf(r.cubin());
        assertEquals(List.of("--gpu-architecture=sm_90", "-default-device", "--std=c++17"), r.options());
    }

    @Test
    void passesExtraOptions() {
        String src = "extern \"C\" __global__ void k(float* y) { y[0] = SCALE; }\n";
        assertCudaElf(nvrtc.compile(src, "k.cu", "sm_90", List.of("-DSCALE=2.0f")).cubin());
        NvrtcException e = assertThrows(NvrtcException.class, () -> nvrtc.compile(src, "k.cu", "sm_90", List.of()));
        assertTrue(e.getMessage().contains("SCALE"), e.getMessage());
    }

    @Test
    void compileErrorShowsTheLogAndTheNumberedSource() {
        String broken = """
                extern "C" __global__ void broken(float* y) {
                    y[0] = undeclared_name * 2.0f;
                }
                """;
        NvrtcException e = assertThrows(NvrtcException.class,
                () -> nvrtc.compile(broken, "broken.cu", "sm_90", List.of()));
        String m = e.getMessage();
        assertEquals("NVRTC_ERROR_COMPILATION", e.result());
        assertTrue(e.log().contains("undeclared_name"), e.log());
        assertTrue(m.contains("broken.cu(2)"), "log with file and line in message:\n" + m);
        assertTrue(m.contains("2 |     y[0] = undeclared_name * 2.0f;"), "numbered source line in message:\n" + m);
    }

    @Test
    void anInvalidOptionIsReported() {
        NvrtcException e = assertThrows(NvrtcException.class,
                () -> nvrtc.compile(SAXPY, "saxpy.cu", "sm_90", List.of("--no-such-option")));
        assertEquals("NVRTC_ERROR_INVALID_OPTION", e.result());
    }

    @Test
    void compilesToPtxForAVirtualArchitecture() {
        String ptx = nvrtc.compileToPtx(SAXPY, "saxpy.cu", "compute_90", List.of());
        assertTrue(ptx.contains(".entry saxpy"), ptx);
        assertTrue(ptx.contains(".target sm_90"), ptx);
    }

    @Test
    void rejectsAnArchitectureThatCannotGiveACubin() {
        assertThrows(IllegalArgumentException.class, () -> nvrtc.compile(SAXPY, "saxpy.cu", "compute_90", List.of()));
    }

    @Test
    void compilesConcurrentlyFromManyThreads() throws Exception {
        byte[] expected = nvrtc.compile(SAXPY, "saxpy.cu", "sm_90", List.of()).cubin();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> nvrtc.compile(SAXPY, "saxpy.cu", "sm_90", List.of()).cubin()));
            }
            for (Future<byte[]> f : results) assertArrayEquals(expected, f.get(), "NVRTC output is deterministic");
        } finally {
            pool.shutdown();
        }
    }

    private static void assertCudaElf(byte[] cubin) {
        assertTrue(cubin.length > 64, "CUBIN of " + cubin.length + " bytes");
        for (int i = 0; i < ELF_MAGIC.length; i++) assertEquals(ELF_MAGIC[i], cubin[i], "ELF magic byte " + i);
        int machine = (cubin[18] & 0xff) | (cubin[19] & 0xff) << 8; // e_machine, little-endian
        assertEquals(EM_CUDA, machine, "e_machine");
    }
}
