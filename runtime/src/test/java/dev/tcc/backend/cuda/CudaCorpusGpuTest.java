package dev.tcc.backend.cuda;

import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.codegen.Schedule;
import dev.tcc.corpus.KernelCorpus;
import dev.tcc.opt.Optimizer;
import dev.tcc.runtime.Backends;
import dev.tcc.runtime.InterpExecutable;
import dev.tcc.testing.Differential;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the code generator's corpus on the device against the reference interpreter:
 * outputs of three calls and the shared variables after them. Two copies of the corpus are made
 * from one seed, so that the CUDA run and the interpreter start from identical shared values.
 * {@link CudaCorpusEmulatedTest} runs the same on the CPU emulator.
 */
@Tag("gpu")
class CudaCorpusGpuTest {
    static Stream<Integer> cases() { return IntStream.range(0, KernelCorpus.all().size()).boxed(); }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void matchesTheInterpreter(int index) {
        CudaAssumptions.contextOrSkip();
        check(index);
    }

    /** Case {@code index} on the device CUDA functions run on now, against the interpreter. */
    static void check(int index) {
        KernelCorpus.Case onDevice = KernelCorpus.all().get(index), reference = KernelCorpus.all().get(index);
        Schedule.Result r = Backends.schedule(onDevice.graph());
        Differential d = new Differential(dev.tcc.Backend.CUDA);
        try (var f = CudaExecutable.compile(r.program(), r.sharedVars())) {
            // against the interpreter on the optimized graph, as the C backend's corpus test: the
            // optimizer changes values on purpose (the MLP's cross-entropy is finite only after it
            // stabilizes log(sigmoid(x))), which is its own tests' business
            var ref = new InterpExecutable(Optimizer.optimize(reference.graph()).graph());
            for (int call = 0; call < 3; call++) {
                List<NDArray> got = f.run(onDevice.args()), want = ref.run(reference.args());
                for (int i = 0; i < want.size(); i++) {
                    d.assertClose(onDevice.name() + ", call " + call + ", output " + i, want.get(i), got.get(i), tol(want.get(i)));
                }
            }
            for (int i = 0; i < onDevice.graph().updates().size(); i++) {
                SharedVar a = onDevice.graph().updates().get(i).target(), b = reference.graph().updates().get(i).target();
                NDArray w = b.getValue();
                d.assertClose(onDevice.name() + ", updated " + a.name(), w, a.getValue(), tol(w));
            }
        }
    }

    static Differential.Tol tol(NDArray a) {
        return a.dtype() == dev.tcc.DType.FLOAT32 ? new Differential.Tol(2e-5, 1e-5) : Differential.Tol.of(a.dtype());
    }
}
