package dev.tcc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.Var;
import dev.tcc.codegen.program.Program;
import dev.tcc.codegen.program.UpdateAssignment;
import dev.tcc.corpus.KernelCorpus;
import dev.tcc.interp.Interpreter;
import dev.tcc.nvrtc.CompileResult;
import dev.tcc.nvrtc.Nvrtc;
import dev.tcc.nvrtc.NvrtcAssumptions;
import dev.tcc.opt.OptimizedGraph;
import dev.tcc.opt.Optimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus through the optimizer (fused kernels, its in-place plan, per-instruction sites), then
 * the scheduler: the Program survives JSON, its C computes what the interpreter computes on the
 * optimized graph, and its CUDA compiles with NVRTC to sm_90.
 */
class OptimizedCorpusTest {
    static Stream<KernelCorpus.Case> corpus() { return CorpusSupport.cases().stream(); }

    private static final Map<String, OptimizedGraph> OPTIMIZED = new ConcurrentHashMap<>();
    private static final Map<String, Schedule.Result> SCHEDULED = new ConcurrentHashMap<>();

    static OptimizedGraph optimized(KernelCorpus.Case c) {
        return OPTIMIZED.computeIfAbsent(c.name(), k -> Optimizer.optimize(c.graph()));
    }

    static Schedule.Result scheduled(KernelCorpus.Case c) {
        return SCHEDULED.computeIfAbsent(c.name(), k -> Schedule.schedule(optimized(c), new Schedule.Options(false, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void cComputesWhatTheInterpreterComputes(KernelCorpus.Case c, @TempDir Path dir) throws Exception {
        Schedule.Result r = scheduled(c);
        Program p = r.program();
        assertEquals(p, Program.fromJson(p.toJson()));
        String cc = GeneratedCTest.cc();
        Path so = CProgramRunner.build(cc, p, dir);
        List<NDArray> sharedValues = new ArrayList<>();
        for (SharedVar s : r.sharedVars()) sharedValues.add(s.getValue());
        CProgramRunner.Result got = CProgramRunner.run(p, so, c.args(), sharedValues);
        // against the interpreter on the optimized graph: the optimizer may change values on purpose
        // (it stabilizes log(sigmoid(x)) and the like), which is its tests' business, not codegen's
        dev.tcc.ir.FunctionGraph g = optimized(c).graph();
        Map<Var, NDArray> env = new IdentityHashMap<>();
        for (int i = 0; i < c.args().size(); i++) env.put(g.inputs().get(i), c.args().get(i));
        List<NDArray> want = Interpreter.evaluate(g.allResults(), env);
        int nOut = c.graph().outputs().size();
        for (int k = 0; k < nOut; k++) GeneratedCTest.check(c.name() + " (optimized) output " + k, want.get(k), got.outputs().get(k));
        for (int i = 0; i < c.graph().updates().size(); i++) {
            SharedVar t = c.graph().updates().get(i).target();
            GeneratedCTest.check(c.name() + " (optimized) update of " + t.name(), want.get(nOut + i), got.shared().get(r.sharedVars().indexOf(t)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void cudaCompilesToSm90(KernelCorpus.Case c) {
        Nvrtc nvrtc = NvrtcAssumptions.nvrtcOrSkip();
        Program p = scheduled(c).program();
        CompileResult r = nvrtc.compile(p.sources().cuda(), p.name() + ".cu", "sm_90", p.sources().nvrtcOptions());
        assertTrue(r.cubin().length > 0);
        assertFalse(r.log().contains("warning"), r.log());
    }

    @Test
    void theMlpTrainStepIsFewKernelsWithEveryUpdateInPlace() {
        KernelCorpus.Case train = CorpusSupport.cases().stream().filter(c -> c.name().equals("mlp_train")).findFirst().orElseThrow();
        Program p = scheduled(train).program();
        for (UpdateAssignment u : p.updates()) assertEquals(UpdateAssignment.Mode.IN_PLACE, u.mode(), p.shared().get(u.shared()).name());
        assertTrue(p.steps().size() <= 20, "steps: " + p.steps().size());
        assertTrue(p.sources().c().contains("KernelCorpus.java"), "statements name the corpus lines");
    }
}
