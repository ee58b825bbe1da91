package dev.tcc.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tcc.Backend;
import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.TccException;
import dev.tcc.codegen.program.Access;
import dev.tcc.codegen.program.Buffer;
import dev.tcc.codegen.program.ElementwiseStep;
import dev.tcc.codegen.program.GemmStep;
import dev.tcc.codegen.program.InputInfo;
import dev.tcc.codegen.program.Program;
import dev.tcc.codegen.program.ShapeRule;
import dev.tcc.codegen.program.SharedInfo;
import dev.tcc.codegen.program.Sources;
import dev.tcc.codegen.program.UpdateAssignment;
import dev.tcc.codegen.program.Value;
import dev.tcc.ir.Site;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The executor on hand-written Programs (so it is tested apart from the scheduler and the code
 * generator): a dense layer {@code out = sigmoid(x · w + b)} whose product runs on OpenBLAS and
 * whose epilogue is a kernel, an update through the back buffer (SWAP), one in place, shapes that
 * change between calls, shared storage seen by two functions, and an int32 product that runs the
 * generated loop nest instead of BLAS.
 */
class CpuExecutableTest {
    private static final Site SITE = Site.here();

    /** Kernels in the Program ABI: pointers (outputs first), then int64 parameters. */
    static final String LAYER_C = """
            #include <stdint.h>
            #include <math.h>
            /* epilogue: out = sigmoid(prod + b); b is STRIDED (broadcast along axis 0) */
            void layer_epi(float* restrict out, const float* restrict prod, const float* restrict b,
                           int64_t n, int64_t d0, int64_t d1, int64_t s0, int64_t s1) {
            #pragma omp parallel for
                for (int64_t i = 0; i < n; i++) {
                    int64_t r = i / d1, c = i % d1;
                    float z = prod[i] + b[r * s0 + c * s1];
                    out[i] = 1.0f / (1.0f + expf(-z));
                }
            }
            /* the fused form of the same GEMM (unused when BLAS runs it) */
            void layer_gemm(float* restrict out, const float* a, const float* w, const float* b, int64_t M, int64_t N, int64_t K,
                            int64_t n, int64_t d0, int64_t d1, int64_t s0, int64_t s1) {
                for (int64_t i = 0; i < M; i++) for (int64_t j = 0; j < N; j++) {
                    double acc = 0; for (int64_t p = 0; p < K; p++) acc += (double) a[i * K + p] * w[p * N + j];
                    float z = (float) acc + b[i * s0 + j * s1];
                    out[i * N + j] = 1.0f / (1.0f + expf(-z));
                }
            }
            void layer_wnew(float* restrict out, const float* restrict w, int64_t n) {
                for (int64_t i = 0; i < n; i++) out[i] = w[i] * 0.5f;
            }
            void layer_bnew(float* restrict out, const float* restrict b, int64_t n) {
                for (int64_t i = 0; i < n; i++) out[i] = b[i] + 1.0f;
            }
            """;

    @BeforeAll
    static void needsCompiler() {
        assumeTrue(CpuBackend.available(), "no working C compiler: " + CpuBackend.unavailableReason());
        assumeTrue(Blas.available(), "no OpenBLAS");
    }

    /** x: (?, 3) input; w (3, 2), b (2) shared; out = sigmoid(x·w + b); w ← w·0.5 (SWAP); b ← b + 1 (in place). */
    static Program layer() {
        List<Value> values = List.of(
                new Value(0, "x", DType.FLOAT32, List.of(-1, 3), new ShapeRule.Input(0), 0, true, ""),
                new Value(1, "w", DType.FLOAT32, List.of(3, 2), new ShapeRule.Fixed(List.of(3, 2)), 1, true, ""),
                new Value(2, "b", DType.FLOAT32, List.of(2), new ShapeRule.Fixed(List.of(2)), 2, true, ""),
                new Value(3, "prod", DType.FLOAT32, List.of(-1, 2), new ShapeRule.MatMul(0, 1), 4, true, ""),
                new Value(4, "out", DType.FLOAT32, List.of(-1, 2), new ShapeRule.Broadcast(List.of(3, 2), 2), 5, true, ""),
                new Value(5, "w_new", DType.FLOAT32, List.of(3, 2), new ShapeRule.Same(1), 3, true, ""),
                new Value(6, "b_new", DType.FLOAT32, List.of(2), new ShapeRule.Same(2), 2, true, ""));
        List<Buffer> buffers = List.of(
                new Buffer(0, Buffer.Kind.INPUT, "x", DType.FLOAT32, 0, null),
                new Buffer(1, Buffer.Kind.SHARED, "w", DType.FLOAT32, 0, null),
                new Buffer(2, Buffer.Kind.SHARED, "b", DType.FLOAT32, 1, null),
                new Buffer(3, Buffer.Kind.SHARED_BACK, "w'", DType.FLOAT32, 0, null),
                new Buffer(4, Buffer.Kind.TEMP, "t0", null, -1, null),
                new Buffer(5, Buffer.Kind.OUTPUT, "out", DType.FLOAT32, 0, null));
        ElementwiseStep epi = new ElementwiseStep("layer_epi", false, List.of(3, 2), List.of(Access.CONTIGUOUS, Access.STRIDED),
                List.of(4), "sigmoid(prod + b)");
        return new Program(Program.FORMAT_VERSION, "layer", false,
                List.of(new InputInfo("x", DType.FLOAT32, List.of(-1, 3), "")),
                List.of(new SharedInfo("w", DType.FLOAT32, List.of(3, 2), "", null), new SharedInfo("b", DType.FLOAT32, List.of(2), "", null)),
                buffers, values,
                List.of(new GemmStep("layer_gemm", 0, 1, false, false, 3, 0, epi, List.of(4), "dot(x, w) + epilogue"),
                        new ElementwiseStep("layer_wnew", false, List.of(1), List.of(Access.CONTIGUOUS), List.of(5), "w * 0.5"),
                        new ElementwiseStep("layer_bnew", false, List.of(2), List.of(Access.CONTIGUOUS), List.of(6), "b + 1")),
                List.of(4),
                List.of(new UpdateAssignment(0, 5, UpdateAssignment.Mode.SWAP), new UpdateAssignment(1, 6, UpdateAssignment.Mode.IN_PLACE)),
                new Sources("", LAYER_C, List.of(), List.of()));
    }

    @Test
    void denseLayerWithBlasEpilogueAndBothUpdateModes() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom r = new SplittableRandom(seed);
        SharedVar w = new SharedVar(random(r, 3, 2), "w", SITE);
        SharedVar b = new SharedVar(random(r, 2), "b", SITE);
        NDArray w0 = w.getValue(), b0 = b.getValue();
        CpuExecutable f = CpuExecutable.compile(layer(), List.of(w, b));
        assertEquals(Backend.CPU, f.backend());

        for (int call = 0; call < 3; call++) {
            int rows = 1 + r.nextInt(9);                     // shapes change between calls
            NDArray x = random(r, rows, 3);
            NDArray wBefore = w.getValue(), bBefore = b.getValue();
            NDArray out = f.run(List.of(x)).get(0);
            assertEquals(List.of(rows, 2), List.of(out.shape()[0], out.shape()[1]));
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < 2; j++) {
                    double z = bBefore.getFlat(j);
                    for (int p = 0; p < 3; p++) z += x.getFlat(i * 3 + p) * wBefore.getFlat(p * 2 + j);
                    assertEquals(1 / (1 + Math.exp(-z)), out.getFlat(i * 2 + j), 1e-6, "seed " + seed + " call " + call);
                }
        }
        for (int i = 0; i < 6; i++) assertEquals(w0.getFlat(i) * 0.125, w.getValue().getFlat(i), 1e-7, "three SWAP updates");
        for (int i = 0; i < 2; i++) assertEquals(b0.getFlat(i) + 3, b.getValue().getFlat(i), 1e-6, "three in-place updates");
        assertTrue(w.storage() instanceof CpuStorage);
    }

    @Test
    void aProgramWithoutCSourceIsRefusedWithTheFix() {
        Program cudaOnly = layer().withSources(new Sources("extern \"C\" __global__ void k() {}", null, List.of(), List.of()));
        TccException e = assertThrows(TccException.class, () -> CpuExecutable.compile(cudaOnly,
                List.of(new SharedVar(NDArray.ones(DType.FLOAT32, 3, 2), "w", SITE), new SharedVar(NDArray.ones(DType.FLOAT32, 2), "b", SITE))));
        assertTrue(e.getMessage().contains("carries no C source") && e.getMessage().contains("--target cuda,c"), e.getMessage());
    }

    @Test
    void withoutBlasTheGeneratedGemmKernelRuns() {
        SharedVar w = new SharedVar(NDArray.ones(DType.FLOAT32, 3, 2), "w", SITE);
        SharedVar b = new SharedVar(NDArray.full(DType.FLOAT32, -1, 2), "b", SITE);
        CpuExecutable f;
        System.setProperty("tcc.cpu.blas", "false");
        try {
            f = CpuExecutable.compile(layer(), List.of(w, b));
        } finally {
            System.clearProperty("tcc.cpu.blas");
        }
        NDArray x = NDArray.of(new float[][] {{1, 2, 3}, {0, 0, 0.5f}});
        NDArray out = f.run(List.of(x)).get(0);
        assertEquals(1 / (1 + Math.exp(-5)), out.getFlat(0), 1e-6);
        assertEquals(1 / (1 + Math.exp(0.5)), out.getFlat(3), 1e-6);
    }

    @Test
    void sharedStorageIsCommonToFunctionsAndSetValueReachesIt() {
        SharedVar w = new SharedVar(NDArray.ones(DType.FLOAT32, 3, 2), "w", SITE);
        SharedVar b = new SharedVar(NDArray.zeros(DType.FLOAT32, 2), "b", SITE);
        CpuExecutable f = CpuExecutable.compile(layer(), List.of(w, b));
        CpuExecutable g = CpuExecutable.compile(layer(), List.of(w, b));
        NDArray x = NDArray.ones(DType.FLOAT32, 1, 3);
        f.run(List.of(x));                                  // w = 0.5, b = 1
        NDArray out = g.run(List.of(x)).get(0);            // sees f's updates: z = 3 * 0.5 + 1
        assertEquals(1 / (1 + Math.exp(-2.5)), out.getFlat(0), 1e-6);
        CpuStorage s = CpuStorage.of(w);
        assertSame(s, CpuStorage.of(w), "one storage per variable");
        w.setValue(NDArray.full(DType.FLOAT32, 2, 3, 2));
        b.setValue(NDArray.zeros(DType.FLOAT32, 2));
        out = f.run(List.of(x)).get(0);
        assertEquals(1 / (1 + Math.exp(-6)), out.getFlat(0), 1e-6);
        NDArray v = w.getValue();
        assertNotSame(v, s.current(), "getValue copies");
        assertEquals(1.0, v.getFlat(0), 0.0);
    }

    @Test
    void profileListsEveryStepAndHowItRan() {
        SharedVar w = new SharedVar(NDArray.ones(DType.FLOAT32, 3, 2), "w", SITE);
        SharedVar b = new SharedVar(NDArray.zeros(DType.FLOAT32, 2), "b", SITE);
        CpuExecutable f = CpuExecutable.compile(layer(), List.of(w, b));
        f.startProfiling();
        for (int i = 0; i < 3; i++) f.run(List.of(NDArray.ones(DType.FLOAT32, 4, 3)));
        String p = f.profile();
        assertTrue(p.startsWith("3 calls"), p);
        assertTrue(p.contains("openblas+epilogue") && p.contains("dot(x, w) + epilogue") && p.contains("b + 1"), p);
    }

    @Test
    void inputShapeErrorsNameTheInput() {
        SharedVar w = new SharedVar(NDArray.ones(DType.FLOAT32, 3, 2), "w", SITE);
        SharedVar b = new SharedVar(NDArray.zeros(DType.FLOAT32, 2), "b", SITE);
        CpuExecutable f = CpuExecutable.compile(layer(), List.of(w, b));
        TccException e = assertThrows(TccException.class, () -> f.run(List.of(NDArray.ones(DType.FLOAT32, 2, 4))));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }

    @Test
    void emptyBatchSkipsTheWork() {
        SharedVar w = new SharedVar(NDArray.ones(DType.FLOAT32, 3, 2), "w", SITE);
        SharedVar b = new SharedVar(NDArray.zeros(DType.FLOAT32, 2), "b", SITE);
        CpuExecutable f = CpuExecutable.compile(layer(), List.of(w, b));
        NDArray out = f.run(List.of(NDArray.zeros(DType.FLOAT32, 0, 3))).get(0);
        assertEquals(0, out.size());
        assertEquals(0.5, w.getValue().getFlat(0), 0.0, "updates still happen");
    }

    static final String IDOT_C = """
            #include <stdint.h>
            void idot(int32_t* restrict out, const int32_t* restrict a, const int32_t* restrict b, int64_t M, int64_t N, int64_t K) {
            #pragma omp parallel for
                for (int64_t i = 0; i < M; i++) for (int64_t j = 0; j < N; j++) {
                    int64_t acc = 0;
                    for (int64_t p = 0; p < K; p++) acc += (int64_t) a[i * K + p] * b[p * N + j];
                    out[i * N + j] = (int32_t) acc;
                }
            }
            """;

    @Test
    void integerProductRunsTheGeneratedKernel() {
        List<Value> values = List.of(
                new Value(0, "a", DType.INT32, List.of(-1, -1), new ShapeRule.Input(0), 0, true, ""),
                new Value(1, "b", DType.INT32, List.of(-1, -1), new ShapeRule.Input(1), 1, true, ""),
                new Value(2, "c", DType.INT32, List.of(-1, -1), new ShapeRule.MatMul(0, 1), 2, true, ""));
        List<Buffer> buffers = List.of(
                new Buffer(0, Buffer.Kind.INPUT, "a", DType.INT32, 0, null),
                new Buffer(1, Buffer.Kind.INPUT, "b", DType.INT32, 1, null),
                new Buffer(2, Buffer.Kind.OUTPUT, "c", DType.INT32, 0, null));
        Program p = new Program(Program.FORMAT_VERSION, "idot", false,
                List.of(new InputInfo("a", DType.INT32, List.of(-1, -1), ""), new InputInfo("b", DType.INT32, List.of(-1, -1), "")),
                List.of(), buffers, values,
                List.of(new GemmStep("idot", 0, 1, false, false, 2, 0, null, List.of(2), "dot(a, b)")),
                List.of(2), List.of(), new Sources("", IDOT_C, List.of(), List.of()));
        CpuExecutable f = CpuExecutable.compile(p, List.of());
        NDArray a = NDArray.of(new int[] {1, 2, 3, 4, 5, 6}).reshape(2, 3);
        NDArray b = NDArray.of(new int[] {7, 8, 9, 10, 11, 12}).reshape(3, 2);
        NDArray c = f.run(List.of(a, b)).get(0);
        assertEquals(DType.INT32, c.dtype());
        assertEquals(List.of(58L, 64L, 139L, 154L), List.of(c.getLongFlat(0), c.getLongFlat(1), c.getLongFlat(2), c.getLongFlat(3)));
    }

    static NDArray random(SplittableRandom r, int... shape) {
        NDArray a = NDArray.zeros(DType.FLOAT32, shape);
        for (int i = 0; i < a.size(); i++) a.setFlat(i, r.nextDouble(-1, 1));
        return a;
    }
}
