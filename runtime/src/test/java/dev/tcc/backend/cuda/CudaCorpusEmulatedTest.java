package dev.tcc.backend.cuda;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link CudaCorpusGpuTest}'s cases with the generated CUDA kernels run by the CPU emulator. */
@ExtendWith(EmulatedCuda.class)
class CudaCorpusEmulatedTest {
    @ParameterizedTest(name = "case {0}")
    @MethodSource("dev.tcc.backend.cuda.CudaCorpusGpuTest#cases")
    void matchesTheInterpreter(int index) { CudaCorpusGpuTest.check(index); }
}
