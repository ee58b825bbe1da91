package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.cache.KernelCache;
import dev.tcc.nvrtc.Nvrtc;
import dev.tcc.nvrtc.NvrtcAssumptions;
import dev.tcc.nvrtc.NvrtcException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CUBINs through NVRTC and the kernel cache: needs NVRTC (scripts/setup-nvrtc), no GPU. */
class KernelCompilerTest {
    static final String SAXPY = """
            extern "C" __global__ void saxpy(float* __restrict__ y, const float* __restrict__ x, float a, long long n) {
                long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x;
                for (; i < n; i += (long long) gridDim.x * blockDim.x) y[i] = a * x[i] + y[i];
            }
            """;

    @Test void keyHoldsArchNvrtcVersionOptionsAndSource() {
        String k = KernelCompiler.keyMaterial(SAXPY, "saxpy.cu", "sm_90", List.of(), "13.0");
        assertTrue(k.contains("nvrtc 13.0") && k.contains("arch sm_90") && k.contains("--gpu-architecture=sm_90") && k.endsWith(SAXPY), k);
        assertNotEquals(k, KernelCompiler.keyMaterial(SAXPY, "saxpy.cu", "sm_80", List.of(), "13.0"));
        assertNotEquals(k, KernelCompiler.keyMaterial(SAXPY, "saxpy.cu", "sm_90", List.of(), "12.6"));
        assertNotEquals(k, KernelCompiler.keyMaterial(SAXPY, "saxpy.cu", "sm_90", List.of("--use_fast_math"), "13.0"));
        assertNotEquals(k, KernelCompiler.keyMaterial(SAXPY + " ", "saxpy.cu", "sm_90", List.of(), "13.0"));
    }

    @Test void compilesOnceThenServesFromTheCache(@TempDir Path dir) {
        Nvrtc nvrtc = NvrtcAssumptions.nvrtcOrSkip();
        KernelCache cache = new KernelCache(dir);
        KernelCompiler c = new KernelCompiler(nvrtc, cache);
        byte[] first = c.cubin(SAXPY, "saxpy.cu", "sm_90", List.of());
        assertEquals(0x7f, first[0] & 0xff, "a CUBIN is an ELF file");
        assertEquals('E', first[1]);
        byte[] second = c.cubin(SAXPY, "saxpy.cu", "sm_90", List.of());
        assertArrayEquals(first, second);
        assertEquals(1, cache.hits());
        assertEquals(1, cache.misses());
        c.cubin(SAXPY, "saxpy.cu", "sm_80", List.of());
        assertEquals(2, cache.misses(), "another architecture is another entry");
    }

    @Test void compileErrorsShowTheLogAndNumberedSource(@TempDir Path dir) {
        Nvrtc nvrtc = NvrtcAssumptions.nvrtcOrSkip();
        KernelCompiler c = new KernelCompiler(nvrtc, new KernelCache(dir));
        String bad = "extern \"C\" __global__ void k(float* y) {\n    y[0] = undefined_thing;\n}\n";
        NvrtcException e = assertThrows(NvrtcException.class, () -> c.cubin(bad, "k.cu", "sm_90", List.of()));
        assertTrue(e.getMessage().contains("undefined_thing"), e.getMessage());
        assertTrue(e.getMessage().contains("2 |     y[0] = undefined_thing;"), e.getMessage());
    }
}
