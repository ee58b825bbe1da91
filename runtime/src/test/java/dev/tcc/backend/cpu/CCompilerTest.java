package dev.tcc.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tcc.Config;
import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.TccException;
import dev.tcc.cache.KernelCache;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CCompilerTest {
    static final String SCALE = """
            #include <stdint.h>
            void scale(float* restrict out, const float* restrict in, int64_t n, double factor) {
            #pragma omp parallel for
                for (int64_t i = 0; i < n; i++) out[i] = (float) (in[i] * factor);
            }
            int answer(void) { return 42; }
            """;

    @TempDir Path tmp;

    @BeforeAll
    static void needsCompiler() {
        assumeTrue(CpuBackend.available(), "no working C compiler: " + CpuBackend.unavailableReason());
    }

    @Test
    void compilesLoadsAndRunsOnNDArrayBuffersWithoutCopies() {
        CCompiler cc = CCompiler.detect(new KernelCache(tmp));
        CLibrary lib = cc.load(SCALE, "test kernels");
        NDArray in = NDArray.of(new float[] {1, 2, 3, 4, 5});
        NDArray out = NDArray.zeros(DType.FLOAT32, 5);
        lib.call("scale", CLibrary.pointer(out), CLibrary.pointer(in), 5L, 2.5);
        assertEquals(List.of(2.5f, 5f, 7.5f, 10f, 12.5f), boxed(out.toFloatArray()), "the kernel wrote into the NDArray itself");
        assertEquals(42, lib.function("answer").invokeInt(new Object[0]));
    }

    @Test
    void secondLoadComesFromTheCache() {
        KernelCache cache = new KernelCache(tmp);
        CCompiler cc = CCompiler.detect(cache);
        cc.vectorMath();                                 // probes compile libraries of their own
        long misses = cache.misses();
        CLibrary a = cc.load(SCALE + "// one\n", "test kernels");
        assertEquals(misses + 1, cache.misses());
        CLibrary b = cc.load(SCALE + "// one\n", "test kernels");
        assertEquals(misses + 1, cache.misses(), "no second compile");
        assertEquals(a.file(), b.file());
        // a new compiler object (as in a new process) finds the version and the library on disk
        CCompiler again = CCompiler.detect(cache);
        again.vectorMath();
        long hits = cache.hits();
        again.load(SCALE + "// one\n", "test kernels");
        assertEquals(hits + 1, cache.hits());
    }

    @Test
    void compileErrorShowsCompilerOutputAndNumberedSource() {
        CCompiler cc = CCompiler.detect(new KernelCache(tmp));
        String bad = "void ok(void) {}\nvoid broken(void) {\n    undeclared_thing += 1;\n}\n";
        TccException e = assertThrows(TccException.class, () -> cc.load(bad, "kernels of function 'f'"));
        String m = e.getMessage();
        assertTrue(m.contains("C compilation of the kernels of function 'f' failed"), m);
        assertTrue(m.contains("undeclared_thing"), "the compiler's own message: " + m);
        assertTrue(m.contains("3|     undeclared_thing += 1;"), "numbered source: " + m);
        assertTrue(m.contains("-O3") && m.contains("-march=native"), "the command line: " + m);
    }

    @Test
    void missingCompilerIsAClearError() {
        TccException e = assertThrows(TccException.class,
                () -> CCompiler.detect(List.of("tcc-no-such-compiler-xyz"), new KernelCache(tmp)));
        assertTrue(e.getMessage().contains("no C compiler found"), e.getMessage());
        assertTrue(e.getMessage().contains("TCC_CC"), e.getMessage());
    }

    @Test
    void compilerThatFailsToRunIsAClearError() {
        // /bin/false exists but answers --version with exit code 1
        TccException e = assertThrows(TccException.class, () -> CCompiler.detect(List.of("/bin/false"), new KernelCache(tmp)));
        assertTrue(e.getMessage().contains("failed"), e.getMessage());
    }

    @Test
    void commandComesFromTccCcThenPropertyThenCc() {
        assertEquals(List.of("cc"), CCompiler.configuredCommand(Map.of(), null));
        assertEquals(List.of("gcc-12"), CCompiler.configuredCommand(Map.of(), "gcc-12"));
        assertEquals(List.of("clang", "-fuse-ld=lld"), CCompiler.configuredCommand(Map.of("TCC_CC", " clang  -fuse-ld=lld "), "gcc-12"));
    }

    @Test
    void flagsAndKeyFollowFastMath() {
        CCompiler cc = CCompiler.detect(new KernelCache(tmp));
        boolean before = Config.get().fastMath();
        try {
            Config.get().fastMath(false);
            List<String> ieee = cc.flags();
            assertTrue(ieee.containsAll(List.of("-O3", "-march=native", "-fPIC", "-shared")), ieee.toString());
            assertEquals(cc.openmp(), ieee.contains("-fopenmp"));
            assertFalse(ieee.contains("-ffast-math"));
            Config.get().fastMath(true);
            List<String> fast = cc.flags();
            assertTrue(fast.contains("-ffast-math"), fast.toString());
            assertNotEquals(cc.keyMaterial("x", ieee), cc.keyMaterial("x", fast));
        } finally {
            Config.get().fastMath(before);
        }
    }

    @Test
    void keyNamesTargetCompilerVersionFlagsAndSource() {
        CCompiler cc = CCompiler.detect(new KernelCache(tmp));
        String k = cc.keyMaterial("void f(void){}", List.of("-O3"));
        assertTrue(k.contains("target=c"), k);
        assertTrue(k.contains(cc.versionLine()), k);
        assertTrue(k.contains("flags=-O3"), k);
        assertTrue(k.endsWith("void f(void){}"), k);
        assertNotEquals(k, cc.keyMaterial("void f(void){ }", List.of("-O3")));
    }

    @Test
    void vectorMathPreludeKeepsResultsWithinAFewUlps() {
        CCompiler cc = CCompiler.detect(new KernelCache(tmp));
        assumeTrue(cc.vectorMath(), "no glibc libmvec here");
        String src = "#include <math.h>\n#include <stdint.h>\n"
                + "void f(float* restrict o, const float* restrict x, int64_t n) {\n#pragma omp parallel for simd\n"
                + " for (int64_t i = 0; i < n; i++) o[i] = logf(powf(sqrtf(x[i]), expf(x[i]))) + tanhf(x[i]);\n}\n";
        CLibrary lib = cc.load(src, "vector math test");
        int n = 10_001;
        NDArray x = NDArray.zeros(DType.FLOAT32, n), o = NDArray.zeros(DType.FLOAT32, n);
        for (int i = 0; i < n; i++) x.setFlat(i, 0.05 + 2.0 * i / n);
        lib.call("f", CLibrary.pointer(o), CLibrary.pointer(x), (long) n);
        for (int i = 0; i < n; i++) {
            double xv = x.getFlat(i);
            double want = Math.log(Math.pow(Math.sqrt(xv), Math.exp(xv))) + Math.tanh(xv);
            assertEquals(want, o.getFlat(i), 1e-5 * Math.max(1, Math.abs(want)), "at x=" + xv);
        }
    }

    /** A source like the code generator's: a prelude with helpers, then many exported kernels with OpenMP pragmas. */
    static String manyKernels(int count) {
        StringBuilder b = new StringBuilder("#include <stdint.h>\n#include <math.h>\n#define TCC_FN static inline\n"
                + "TCC_FN float helper(float x) { return x * 2.0f; }\n\n");
        for (int k = 0; k < count; k++) {
            b.append("// ---- step ").append(k).append(": a kernel with { braces } in a comment\n")
             .append("/* kernel ").append(k).append(" */\n")
             .append("void k").append(k).append("(float* restrict out, const float* restrict in, int64_t n) {\n")
             .append("#pragma omp parallel for if (n > 100000)\n")
             .append("    for (int64_t i = 0; i < n; i++) {\n        out[i] = helper(in[i]) + ").append(k).append(".0f; /* } */\n    }\n}\n\n");
        }
        return b.toString();
    }

    @Test
    void splitDealsKernelsIntoPartsThatEachHaveThePrelude() {
        String src = manyKernels(10);
        List<String> parts = CCompiler.split(src, 3);
        assertEquals(3, parts.size());
        int kernels = 0;
        for (String p : parts) {
            assertTrue(p.startsWith("#include <stdint.h>"), p);
            assertTrue(p.contains("TCC_FN float helper"), "every part has the prelude");
            kernels += p.split("\nvoid k", -1).length - 1;
            assertEquals(0, CCompiler.braceBalance(p));
        }
        assertEquals(10, kernels, "every kernel exactly once");
        // shapes it does not split: a top-level helper after the first kernel, or a single kernel
        assertEquals(1, CCompiler.split(src + "static int late(void) { return 1; }\n", 3).size());
        assertEquals(1, CCompiler.split(manyKernels(1), 3).size());
    }

    @Test
    void blasGuardedKernelsStayWithTheirGuardsWhenSplit() {
        String src = manyKernels(6).replace("// ---- step 2: a kernel with { braces } in a comment\n",
                "// ---- step 2: a kernel with { braces } in a comment\n#ifndef TCC_CPU_BLAS\n");
        int end = src.indexOf("\n}\n", src.indexOf("void k2(")) + 3;
        src = src.substring(0, end) + "#endif /* TCC_CPU_BLAS */\n" + src.substring(end);
        List<String> parts = CCompiler.split(src, 2);
        assertEquals(2, parts.size(), "the guard does not stop the split");
        String withK2 = parts.stream().filter(p -> p.contains("void k2(")).findFirst().orElseThrow();
        assertTrue(withK2.contains("#ifndef TCC_CPU_BLAS\n/* kernel 2 */\nvoid k2(") && withK2.contains("#endif /* TCC_CPU_BLAS */"), withK2);
        for (String p : parts) assertEquals(p.split("#ifndef", -1).length, p.split("#endif", -1).length, "balanced guards");
    }

    @Test
    void largeSourcesCompileInPartsToTheSameFunctions() {
        String src = manyKernels(120);
        assertTrue(src.length() > CCompiler.SPLIT_MIN_CHARS);
        CLibrary lib = CCompiler.detect(new KernelCache(tmp)).load(src, "split test");
        NDArray in = NDArray.of(new float[] {1, 2}), out = NDArray.zeros(DType.FLOAT32, 2);
        for (int k : new int[] {0, 59, 119}) {
            lib.call("k" + k, CLibrary.pointer(out), CLibrary.pointer(in), 2L);
            assertEquals(List.of(2f + k, 4f + k), boxed(out.toFloatArray()));
        }
    }

    @Test
    void numberedPadsLineNumbers() {
        String src = "a\n".repeat(10);
        String n = CCompiler.numbered(src);
        assertTrue(n.startsWith(" 1| a\n"), n);
        assertTrue(n.endsWith("10| a\n"), n);
    }

    private static List<Float> boxed(float[] f) {
        Float[] b = new Float[f.length];
        for (int i = 0; i < f.length; i++) b[i] = f[i];
        return List.of(b);
    }
}
