package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.NDArray;
import dev.tcc.codegen.Schedule;
import dev.tcc.codegen.program.Program;
import dev.tcc.corpus.KernelCorpus;
import dev.tcc.runtime.Backends;
import dev.tcc.runtime.InterpExecutable;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Program of the code generator's corpus (every core op, fused kernels, every update kind,
 * the seed examples), optimized and scheduled as Backend.CUDA does, run by CudaExecutable on the
 * recording {@link FakeDevice}: each step's kernel is found in the generated CUDA source with the
 * parameter list the kernel ABI promises (pointers, then int64 parameters), every launch fits the
 * device's limits, buffers bind, and the outputs come back with the interpreter's dtypes and
 * shapes, on a first call and on a replayed one. No kernel runs here: values are compared by
 * {@link CudaCorpusGpuTest} on a device.
 */
class CudaCorpusTest {
    static Stream<KernelCorpus.Case> corpus() { return KernelCorpus.all().stream(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void runsOnTheFakeDevice(KernelCorpus.Case c) {
        List<NDArray> want = new InterpExecutable(c.graph()).run(c.args());
        Schedule.Result r = Backends.schedule(c.graph());
        Program p = r.program();
        FakeDevice dev = new FakeDevice();
        var f = new CudaExecutable<ByteBuffer, String>(dev, p, r.sharedVars(), new CudaOptions(true, 1, 4));
        for (int call = 0; call < 3; call++) {
            List<NDArray> got = f.run(c.args());
            assertEquals(want.size(), got.size(), c.name() + ": outputs");
            for (int i = 0; i < want.size(); i++) {
                assertEquals(want.get(i).dtype(), got.get(i).dtype(), c.name() + ": dtype of output " + i);
                assertArrayEquals(want.get(i).shape(), got.get(i).shape(), c.name() + ": shape of output " + i);
            }
        }
        long launches = dev.entries("launch ").stream().filter(s -> !s.startsWith("launch graph")).count();
        long work = p.steps().size();
        assertTrue(launches <= 2 * work, c.name() + ": " + launches + " eager launches for " + work + " steps in 2 eager calls");
        if (launches > 0) assertEquals(1, f.graphs().captures(), c.name() + ": the third call is captured");
        f.close();
    }
}
