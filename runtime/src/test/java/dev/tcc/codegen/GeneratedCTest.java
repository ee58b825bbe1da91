package dev.tcc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.Var;
import dev.tcc.codegen.program.Program;
import dev.tcc.corpus.KernelCorpus;
import dev.tcc.interp.Interpreter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every generated C translation unit of the corpus compiles with the system C compiler ({@code -Wall}
 * warnings are errors), and, built with the flags the Program names, computes what the reference
 * interpreter computes (outputs and updated shared variables).
 */
class GeneratedCTest {
    static Stream<KernelCorpus.Case> corpus() { return CorpusSupport.cases().stream(); }

    static String cc() {
        String cc = CProgramRunner.compiler();
        assumeTrue(cc != null, "no C compiler (cc, or TCC_CC) found; generated C is not compiled");
        return cc;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void compilesWithoutWarnings(KernelCorpus.Case c, @TempDir Path dir) throws Exception {
        String cc = cc();
        for (boolean fast : new boolean[] {false, true}) {
            Program p = CorpusSupport.scheduled(c, fast).program();
            Path src = dir.resolve(p.name() + (fast ? "_fast" : "") + ".c");
            Files.writeString(src, p.sources().c());
            CProgramRunner.cc(cc, List.of("-std=gnu11", "-fsyntax-only", "-Wall",
                    "-Werror", "-fopenmp", src.toString()), dir);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void computesWhatTheInterpreterComputes(KernelCorpus.Case c, @TempDir Path dir) throws Exception {
        String cc = cc();
        Schedule.Result r = CorpusSupport.scheduled(c, false);
        Program p = r.program();
        Path so = CProgramRunner.build(cc, p, dir);
        List<NDArray> sharedValues = new ArrayList<>();
        for (SharedVar s : r.sharedVars()) sharedValues.add(s.getValue());
        CProgramRunner.Result got = CProgramRunner.run(p, so, c.args(), sharedValues);

        Map<Var, NDArray> env = new IdentityHashMap<>();
        for (int i = 0; i < c.args().size(); i++) env.put(c.graph().inputs().get(i), c.args().get(i));
        List<NDArray> want = Interpreter.evaluate(c.graph().allResults(), env);
        int nOut = c.graph().outputs().size();
        for (int k = 0; k < nOut; k++) {
            Var o = c.graph().outputs().get(k);
            check(c.name() + " output " + k + " (" + o + ")", want.get(k), got.outputs().get(k));
        }
        for (int i = 0; i < c.graph().updates().size(); i++) {
            SharedVar t = c.graph().updates().get(i).target();
            check(c.name() + " update of " + t.name(), want.get(nOut + i), got.shared().get(r.sharedVars().indexOf(t)));
        }
    }

    /** Other argument shapes for some cases: the same compiled program must serve them. */
    static Stream<KernelCorpus.Case> otherShapes() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(KernelCorpusSeed.SEED + 1);
        Map<String, List<int[]>> shapes = Map.of(
                "binary_float32_float32", List.of(new int[] {7, 3}, new int[] {1, 3}),
                "reduce_float32", List.of(new int[] {2, 6, 3}),
                "dot_forms", List.of(new int[] {3}, new int[] {3}, new int[] {4, 3}, new int[] {3, 4}),
                "broadcasting", List.of(new int[] {3, 2, 5}, new int[0], new int[] {1, 5}, new int[] {2, 1}, new int[] {5}),
                "shapes", List.of(new int[] {5, 2, 4}, new int[] {2, 2}, new int[] {2}),
                "train", List.of(new int[] {13, 784}, new int[] {13}));
        List<KernelCorpus.Case> out = new ArrayList<>();
        for (KernelCorpus.Case c : CorpusSupport.cases()) {
            List<int[]> s = shapes.get(c.graph().name());
            if (s == null) continue;
            List<NDArray> args = new ArrayList<>();
            for (int i = 0; i < s.size(); i++) {
                DType dt = c.args().get(i).dtype();
                int n = 1;
                for (int d : s.get(i)) n *= d;
                double[] v = new double[n];
                for (int j = 0; j < n; j++) v[j] = dt.isFloat() ? rnd.nextDouble(-2, 2) : rnd.nextInt(-3, 4);
                args.add(NDArray.fromFlat(dt, s.get(i), v));
            }
            out.add(c);
            out.add(new KernelCorpus.Case(c.name() + "@other_shapes", c.graph(), args));
        }
        return out.stream();
    }

    /** One library, built once, run at the corpus's shapes and at others (sizes are launch parameters). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("otherShapes")
    void oneBuildServesOtherShapes(KernelCorpus.Case c, @TempDir Path dir) throws Exception {
        String cc = cc();
        Schedule.Result r = CorpusSupport.scheduled(new KernelCorpus.Case(c.name().replace("@other_shapes", ""), c.graph(), c.args()), false);
        Path so = BUILT.computeIfAbsent(r.program().name(), k -> {
            try {
                Path d = java.nio.file.Files.createTempDirectory("tcc-shapes");
                d.toFile().deleteOnExit();
                return CProgramRunner.build(cc, r.program(), d);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        List<NDArray> sharedValues = new ArrayList<>();
        for (SharedVar s : r.sharedVars()) sharedValues.add(s.getValue());
        CProgramRunner.Result got = CProgramRunner.run(r.program(), so, c.args(), sharedValues);
        Map<Var, NDArray> env = new IdentityHashMap<>();
        for (int i = 0; i < c.args().size(); i++) env.put(c.graph().inputs().get(i), c.args().get(i));
        List<NDArray> want = Interpreter.evaluate(c.graph().outputs(), env);
        for (int k = 0; k < want.size(); k++) check(c.name() + " output " + k, want.get(k), got.outputs().get(k));
    }

    private static final Map<String, Path> BUILT = new java.util.concurrent.ConcurrentHashMap<>();

    static void check(String what, NDArray want, NDArray got) {
        assertEquals(want.dtype(), got.dtype(), what + ": dtype");
        assertTrue(java.util.Arrays.equals(want.shape(), got.shape()),
                what + ": shape " + java.util.Arrays.toString(got.shape()) + " != " + java.util.Arrays.toString(want.shape()));
        double rtol = want.dtype() == DType.FLOAT32 ? 1e-4 : want.dtype() == DType.FLOAT64 ? 1e-9 : 0;
        double atol = want.dtype() == DType.FLOAT32 ? 1e-5 : want.dtype() == DType.FLOAT64 ? 1e-12 : 0;
        assertTrue(got.allClose(want, rtol, atol), () -> what + " differs (seed " + KernelCorpusSeed.SEED + "):\nwant " + want + "\ngot  " + got);
    }
}
