package dev.tcc.codegen;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.codegen.program.Program;
import dev.tcc.corpus.KernelCorpus;
import dev.tcc.nvrtc.CompileResult;
import dev.tcc.nvrtc.Nvrtc;
import dev.tcc.nvrtc.NvrtcAssumptions;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every generated CUDA translation unit of the corpus compiles with NVRTC to an sm_90 CUBIN, with
 * the options its Program names, for IEEE and fast math, without warnings. Skips with the
 * locator's report when NVRTC is absent, unless TCC_REQUIRE_NVRTC=1 (then fails).
 */
class NvrtcCorpusTest {
    static Stream<KernelCorpus.Case> corpus() { return CorpusSupport.cases().stream(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void compilesToSm90(KernelCorpus.Case c) {
        Nvrtc nvrtc = NvrtcAssumptions.nvrtcOrSkip();
        for (boolean fast : new boolean[] {false, true}) {
            Program p = CorpusSupport.scheduled(c, fast).program();
            CompileResult r = nvrtc.compile(p.sources().cuda(), p.name() + ".cu", "sm_90", p.sources().nvrtcOptions());
            assertTrue(r.cubin().length > 0, "empty CUBIN for " + c.name());
            assertFalse(r.log().contains("warning"), () -> c.name() + (fast ? " (fast math)" : "") + ": NVRTC warned:\n" + r.log());
        }
    }
}
