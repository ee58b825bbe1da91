package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelSignatureTest {
    @Test void readsParametersInOrderWithTheirWidths() {
        String src = """
                // helper
                __device__ float f(float x) { return x; }
                extern "C" __global__ void __launch_bounds__(256) k0(const float* __restrict__ a, float* out,
                        long long n, int stride, /* scale, a comment (with parens) */ float alpha, double beta,
                        const int64_t m, unsigned int u) {
                    out[0] = a[0];
                }
                extern "C" __global__ void k1(void) {}
                """;
        List<KernelSignature> all = KernelSignature.parseAll(src);
        assertEquals(List.of("k0", "k1"), all.stream().map(KernelSignature::name).toList());
        KernelSignature k0 = KernelSignature.parse(src, "k0");
        assertEquals(List.of(ParamType.PTR, ParamType.PTR, ParamType.I64, ParamType.I32, ParamType.F32, ParamType.F64,
                ParamType.I64, ParamType.I32), k0.types());
        assertEquals(List.of("a", "out", "n", "stride", "alpha", "beta", "m", "u"),
                k0.params().stream().map(KernelSignature.Param::name).toList());
        assertEquals(List.of(), KernelSignature.parse(src, "k1").params());
    }

    @Test void unknownKernelOrTypeIsAClearError() {
        String src = "extern \"C\" __global__ void k(float* a, char c) {}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelSignature.parse("extern \"C\" __global__ void k(float* a) {}", "q"));
        assertEquals("no __global__ kernel named q in the source; it has [k]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KernelSignature.parse(src, "k"));
        assertTrue(e.getMessage().contains("parameter 'char c' has type 'char'"), e.getMessage());
    }
}
