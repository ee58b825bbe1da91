package dev.tcc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.T;
import dev.tcc.Var;
import dev.tcc.codegen.program.Access;
import dev.tcc.codegen.program.Buffer;
import dev.tcc.codegen.program.ElementwiseStep;
import dev.tcc.codegen.program.GemmStep;
import dev.tcc.codegen.program.Program;
import dev.tcc.codegen.program.ReduceStep;
import dev.tcc.codegen.program.Shapes;
import dev.tcc.codegen.program.Step;
import dev.tcc.codegen.program.UpdateAssignment;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Site;
import dev.tcc.ops.FusedElemwise;
import dev.tcc.ops.ScalarOp;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the scheduler decides: kernel forms, fusion, views, outputs, updates, memory. */
class ScheduleTest {

    static Program schedule(List<Var> inputs, List<Var> outputs) { return schedule(inputs, outputs, Map.of()); }

    static Program schedule(List<Var> inputs, List<Var> outputs, Map<SharedVar, Var> updates) {
        List<Map.Entry<SharedVar, Var>> ups = new ArrayList<>();
        for (var e : updates.entrySet()) ups.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
        FunctionGraph g = FunctionGraph.build("f", inputs, outputs, ups, Map.of());
        return Schedule.schedule(g, new Schedule.Options(false, true)).program();
    }

    static SharedVar shared(NDArray v, String name) { return new SharedVar(v, name, Site.here()); }

    static <S extends Step> List<S> steps(Program p, Class<S> kind) {
        List<S> r = new ArrayList<>();
        for (Step s : p.steps()) if (kind.isInstance(s)) r.add(kind.cast(s));
        return r;
    }

    static long count(Program p, Buffer.Kind kind) { return p.buffers().stream().filter(b -> b.kind() == kind).count(); }

    @Test
    void sourcesAreWrittenForTheRequestedTargetsOnly() {
        Var x = T.vector("x");
        FunctionGraph g = FunctionGraph.build("f", List.of(x), List.of(x.exp().add(1)), List.of(), Map.of());
        Schedule.Options both = new Schedule.Options(false, false);
        Program p = Schedule.schedule(g, both).program();
        Program c = Schedule.schedule(g, both.only(Target.C)).program();
        Program cu = Schedule.schedule(g, both.only(Target.CUDA)).program();
        assertEquals(p.sources().c(), c.sources().c());
        assertNull(c.sources().cuda());
        assertEquals(p.sources().cuda(), cu.sources().cuda());
        assertNull(cu.sources().c());
        assertEquals(c.sources(), Program.fromJson(c.toJson()).sources(), "a one-target Program survives JSON");
        assertThrows(IllegalArgumentException.class, () -> new Schedule.Options(false, false, java.util.Set.of()));
    }

    @Test
    void aLoneElemwiseIsOneKernelWithItsWeakScalarInlined() {
        Var x = T.vector("x");
        Program p = schedule(List.of(x), List.of(x.mul(0.1)));
        assertEquals(1, p.steps().size());
        ElementwiseStep e = (ElementwiseStep) p.steps().get(0);
        assertEquals(List.of(0), e.inputs());
        assertEquals(List.of(Access.CONTIGUOUS), e.access());
        assertEquals(0, count(p, Buffer.Kind.CONSTANT));
        assertEquals(Buffer.Kind.OUTPUT, p.bufferOf(e.outputs().get(0)).kind(), "written straight into the output");
        assertTrue(p.sources().c().contains("0.1f"), "the literal is in the code");
    }

    @Test
    void aReductionAbsorbsTheElementwiseProducerOnlyItReads() {
        Var x = T.matrix("x");
        Var e = T.exp(x);
        Program p = schedule(List.of(x), List.of(e.sum(1)));
        assertEquals(1, p.steps().size());
        ReduceStep r = (ReduceStep) p.steps().get(0);
        assertFalse(p.value(r.source()).stored(), "the prologue's result is never stored");
        assertTrue(r.description().contains("of elementwise{exp}"), r.description());
        // when the producer's value is also an output, it is computed once and stored
        Program q = schedule(List.of(x), List.of(e.sum(1), e));
        assertEquals(2, q.steps().size());
    }

    @Test
    void aProductAbsorbsItsEpilogueAndReadsTransposesInPlace() {
        Var x = T.matrix("x");
        SharedVar w = shared(NDArray.zeros(DType.FLOAT32, 5, 4), "w");
        SharedVar b = shared(NDArray.zeros(DType.FLOAT32, 4), "b");
        FusedElemwise f = new FusedElemwise(2, List.of(
                new FusedElemwise.Instr(ScalarOp.ADD, null, DType.FLOAT32, List.of(0, 1)),
                new FusedElemwise.Instr(ScalarOp.SIGMOID, null, DType.FLOAT32, List.of(2))), List.of(1));
        Var h = f.applyAt(Site.here(), List.of(T.dot(x.T(), w), b)).output();
        Program p = schedule(List.of(x), List.of(h));
        assertEquals(1, p.steps().size(), "transposed operand, product, bias and activation in one step");
        GemmStep g = (GemmStep) p.steps().get(0);
        assertTrue(g.transA());
        assertFalse(g.transB());
        assertNotNull(g.epilogue());
        assertEquals(List.of(Access.CONTIGUOUS, Access.STRIDED), g.epilogue().access(), "product, then the broadcast bias");
        Shapes s = p.shapes(List.of(new int[] {5, 3}));
        assertArrayEquals(new int[] {3, 4}, s.of(g.outputs().get(0)));
        var blas = g.blas(s);
        assertEquals(3, blas.m());
        assertEquals(4, blas.n());
        assertEquals(5, blas.k());
        assertEquals(3, blas.lda(), "A is stored as (K, M)");
        // fused params: M N K, then the epilogue's n, shape and the bias strides (0 on the broadcast axis)
        assertArrayEquals(new long[] {3, 4, 5, 12, 3, 4, 0, 1}, g.params(p, s));
    }

    /** Elementwise grids: a thread an element up to 1024 blocks, then UNROLL elements a thread, at most 2^16 blocks. */
    @Test
    void elementwiseGridsGiveBigArraysFourElementsAThread() {
        Var x = T.vector("x");
        Program p = schedule(List.of(x), List.of(T.tanh(x).mul(2)));
        ElementwiseStep e = steps(p, ElementwiseStep.class).get(0);
        long[][] nBlocks = {{1000, 4}, {120_000, 469}, {1_000_000, 1024}, {4_000_000, 3907}, {100_000_000, 65536}};
        for (long[] c : nBlocks) {
            Shapes s = p.shapes(List.<int[]>of(new int[] {(int) c[0]}));
            assertEquals(c[1], e.launch(p, s).gridX(), c[0] + " elements");
            assertEquals(256, e.launch(p, s).blockX());
        }
    }

    /** Column reductions (reduced axes first) with many outputs take the _cols entry, 32 outputs a block. */
    @Test
    void manyOutputColumnReductionsPickTheColumnEntry() {
        Var x = T.matrix("x");
        Program p = schedule(List.of(x), List.of(T.sum(x, 0), T.max(x, 1)));
        List<ReduceStep> r = steps(p, ReduceStep.class);
        ReduceStep col = r.stream().filter(s -> s.axes().equals(List.of(0))).findFirst().orElseThrow();
        ReduceStep row = r.stream().filter(s -> s.axes().equals(List.of(1))).findFirst().orElseThrow();
        assertTrue(col.columns(p));
        assertFalse(row.columns(p));
        Shapes wide = p.shapes(List.<int[]>of(new int[] {7, 5000})), narrow = p.shapes(List.<int[]>of(new int[] {400, 300}));
        assertEquals(col.kernel() + "_cols", col.cudaEntry(p, wide));
        assertEquals(157, col.launch(p, wide).gridX());
        assertEquals(256, col.launch(p, wide).blockX());
        assertEquals(col.kernel(), col.cudaEntry(p, narrow), "300 outputs: a block each");
        assertEquals(300, col.launch(p, narrow).gridX());
        assertEquals(row.kernel(), row.cudaEntry(p, wide));
        assertTrue(p.sources().cuda().contains(" " + col.kernel() + "_cols("));
        assertFalse(p.sources().cuda().contains(" " + row.kernel() + "_cols("));
    }

    /** Which CUDA entry and launch a product gets: matrix-vector kernels, then 32, 64 or 128 tiles by size. */
    @Test
    void productsPickTheirCudaEntryBySize() {
        Var a = T.matrix("a"), v = T.vector("v"), s3 = T.tensor3("s"), r3 = T.tensor3("r");
        Program p = schedule(List.of(a, v, s3, r3),
                List.of(T.dot(a, v), T.dot(a.T(), v), T.dot(v, a), T.dot(v, a.T()), T.dot(v, v), T.dot(a, a), T.matmul(s3, r3)));
        List<GemmStep> g = steps(p, GemmStep.class);
        assertEquals(7, g.size());
        // a 400 x 400 and v 400 long: the MLP's sizes
        Shapes sv = p.shapes(List.of(new int[] {400, 400}, new int[] {400}, new int[] {1, 1, 1}, new int[] {1, 1, 1}));
        for (int i = 0; i < 5; i++) {
            assertTrue(g.get(i).matrixVector(p), "product " + i);
            assertEquals(g.get(i).kernel(), g.get(i).cudaEntry(p, sv), "a matrix-vector product has one entry");
            assertTrue(p.sources().cuda().contains(" " + g.get(i).kernel() + "_mv_body("), "product " + i);
            assertFalse(p.sources().cuda().contains(" " + g.get(i).kernel() + "_t32("), "no tile entries for product " + i);
        }
        // rows of a contiguous along k: a warp per output, 8 a block; else 32 outputs a block
        assertEquals(List.of(true, false, false, true, true), g.subList(0, 5).stream().map(x -> x.matrixVectorRows(p)).toList());
        assertEquals(50, g.get(0).launch(p, sv).gridX());
        assertEquals(13, g.get(1).launch(p, sv).gridX());
        assertEquals(256, g.get(1).launch(p, sv).blockX());
        assertEquals(1, g.get(4).launch(p, sv).gridX(), "v·v: one warp");

        GemmStep mm = g.get(5), bmm = g.get(6);
        assertFalse(mm.matrixVector(p));
        assertEquals(mm.kernel() + "_t32", mm.cudaEntry(p, sv), "49 tiles of 64: too few for a big GPU");
        assertEquals(64, mm.launch(p, sv).blockX());
        assertEquals(13, mm.launch(p, sv).gridX());
        Shapes mid = p.shapes(List.of(new int[] {1024, 1024}, new int[] {1024}, new int[] {1, 1, 1}, new int[] {1, 1, 1}));
        assertEquals(mm.kernel(), mm.cudaEntry(p, mid), "256 tiles of 64, 64 of 128");
        assertEquals(256, mm.launch(p, mid).blockX());
        Shapes big = p.shapes(List.of(new int[] {2048, 2048}, new int[] {2048}, new int[] {1, 1, 1}, new int[] {1, 1, 1}));
        assertEquals(mm.kernel() + "_t128", mm.cudaEntry(p, big));
        assertEquals(16, mm.launch(p, big).gridX());
        // batches count: 130 matrices of one 64-tile each take the 64 entry, 300 the 128 one
        Shapes b130 = p.shapes(List.of(new int[] {2, 2}, new int[] {2}, new int[] {130, 40, 9}, new int[] {130, 9, 40}));
        assertEquals(bmm.kernel(), bmm.cudaEntry(p, b130));
        assertEquals(130, bmm.launch(p, b130).gridZ());
        Shapes b300 = p.shapes(List.of(new int[] {2, 2}, new int[] {2}, new int[] {300, 40, 9}, new int[] {300, 9, 40}));
        assertEquals(bmm.kernel() + "_t128", bmm.cudaEntry(p, b300));
    }

    @Test
    void updatesAreInPlaceWhenElementwiseInTheOldValueElseDoubleBuffered() {
        SharedVar w = shared(NDArray.ones(DType.FLOAT32, 3, 3), "w");
        SharedVar p = shared(NDArray.ones(DType.FLOAT32, 3, 3), "p");
        SharedVar q = shared(NDArray.ones(DType.FLOAT32, 3, 3), "q");
        SharedVar s = shared(NDArray.ones(DType.FLOAT32, 3, 3), "s");
        Var x = T.vector("x");
        Map<SharedVar, Var> ups = new LinkedHashMap<>();
        ups.put(w, w.sub(T.dot(w, x).sum().mul(0.1)));  // reads w in a GEMM first, then elementwise
        ups.put(p, q);                                  // swap p and q: each needs the other's old value
        ups.put(q, p);
        ups.put(s, s.T());                              // not elementwise in s
        Program prog = schedule(List.of(x), List.of(), ups);
        Map<String, UpdateAssignment.Mode> modes = new LinkedHashMap<>();
        for (UpdateAssignment u : prog.updates()) modes.put(prog.shared().get(u.shared()).name(), u.mode());
        assertEquals(UpdateAssignment.Mode.IN_PLACE, modes.get("w"));
        assertEquals(UpdateAssignment.Mode.SWAP, modes.get("p"));
        assertEquals(UpdateAssignment.Mode.SWAP, modes.get("q"));
        assertEquals(UpdateAssignment.Mode.SWAP, modes.get("s"));
        for (UpdateAssignment u : prog.updates()) {
            Buffer b = prog.bufferOf(u.value());
            assertEquals(u.mode() == UpdateAssignment.Mode.IN_PLACE ? Buffer.Kind.SHARED : Buffer.Kind.SHARED_BACK, b.kind());
            assertEquals(u.shared(), b.index());
        }
    }

    @Test
    void updateKernelsRunAfterTheOtherReadersOfTheOldValue() {
        SharedVar w = shared(NDArray.ones(DType.FLOAT32, 4), "w");
        Var z = T.vector("z");
        Var late = T.exp(w.mul(z)).sum();      // needs the old w
        Map<SharedVar, Var> ups = Map.of(w, w.mul(2.0));
        Program p = schedule(List.of(z), List.of(late), ups);
        assertEquals(UpdateAssignment.Mode.IN_PLACE, p.updates().get(0).mode());
        Step last = p.steps().get(p.steps().size() - 1);
        assertTrue(last.writes().contains(p.updates().get(0).value()), "the update kernel runs last");
    }

    @Test
    void temporariesShareBuffersWhenTheirLifetimesDoNotOverlap() {
        Var x = T.vector("x");
        Var v = x;
        for (int i = 0; i < 8; i++) v = T.exp(v).add(1.0);   // 16 unfused kernels in a chain
        Program p = schedule(List.of(x), List.of(v));
        assertEquals(16, p.steps().size());
        assertEquals(2, count(p, Buffer.Kind.TEMP), "a chain needs two alternating temporaries");
        Shapes s = p.shapes(List.of(new int[] {1000}));
        for (int t : p.tempBuffers()) assertEquals(4000, p.bufferBytes(t, s));
    }

    @Test
    void outputsThatAreNotComputedHereAreCopied() {
        Var x = T.matrix("x");
        SharedVar w = shared(NDArray.ones(DType.FLOAT32, 2, 2), "w");
        Var y = x.add(1.0);
        Program p = schedule(List.of(x), List.of(x, w, y, y, x.T()));
        assertEquals(5, count(p, Buffer.Kind.OUTPUT));
        for (int k = 0; k < 5; k++) {
            Buffer b = p.bufferOf(p.outputs().get(k));
            assertEquals(Buffer.Kind.OUTPUT, b.kind());
            assertEquals(k, b.index());
        }
        assertEquals(5, p.steps().size(), "y once, copies of x, w, the second y and the transpose");
    }

    @Test
    void viewsAreAliasesAndReshapesOfViewsAreMaterialized() {
        Var x = T.matrix("x");
        Var r = x.dimshuffle("x", 0, 1).reshape(-1);     // order kept: still an alias
        Program p = schedule(List.of(x), List.of(r.mul(2.0)));
        assertEquals(1, p.steps().size());
        Program q = schedule(List.of(x), List.of(x.T().reshape(-1).mul(2.0)));
        assertEquals(2, q.steps().size(), "a transpose must be copied before it can be reshaped");
        assertTrue(q.steps().get(0).description().startsWith("contiguous copy"), q.steps().get(0).description());
    }

    @Test
    void oneProgramServesEveryShape() {
        Var x = T.matrix("x");
        Var b = T.row("b");
        Program q = schedule(List.of(x, b), List.of(x.mul(b)));
        ElementwiseStep e = (ElementwiseStep) q.steps().get(0);
        // n, the shape, then the strides of the broadcast row b (x is contiguous: no strides)
        assertArrayEquals(new long[] {6, 2, 3, 0, 1}, e.params(q, q.shapes(List.of(new int[] {2, 3}, new int[] {1, 3}))));
        assertArrayEquals(new long[] {20, 4, 5, 0, 1}, e.params(q, q.shapes(List.of(new int[] {4, 5}, new int[] {1, 5}))));
    }

    @Test
    void fastMathIsOptIn() {
        Var x = T.vector("x");
        FunctionGraph g = FunctionGraph.build("f", List.of(x), List.of(T.exp(x)), List.of(), Map.of());
        Program ieee = Schedule.schedule(g, new Schedule.Options(false, true)).program();
        Program fast = Schedule.schedule(g, new Schedule.Options(true, true)).program();
        assertTrue(ieee.sources().cuda().contains("expf(v0)"));
        assertTrue(ieee.sources().nvrtcOptions().contains("--fmad=false"));
        assertTrue(ieee.sources().cFlags().contains("-ffp-contract=off"));
        assertTrue(fast.sources().cuda().contains("__expf(v0)"));
        assertTrue(fast.sources().nvrtcOptions().contains("--use_fast_math"));
        assertTrue(fast.sources().cFlags().contains("-ffast-math"));
        assertTrue(fast.fastMath());
        assertFalse(ieee.fastMath());
    }

    @Test
    void generatedStatementsNameTheirCreationSite() {
        Var x = T.vector("x");
        Var y = T.tanh(x).named("y");
        int line = new Throwable().getStackTrace()[0].getLineNumber() - 1;
        Program p = schedule(List.of(x), List.of(y));
        for (String src : List.of(p.sources().c(), p.sources().cuda()))
            assertTrue(src.contains("tanh at ScheduleTest.java:" + line + " -> 'y'"), src);
        assertNull(p.shared().isEmpty() ? null : p.shared());
    }
}
