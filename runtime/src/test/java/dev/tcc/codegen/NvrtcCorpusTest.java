package dev.tcc.codegen;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.codegen.program.Program;
import dev.tcc.corpus.KernelCorpus;
import dev.tcc.nvrtc.CompileResult;
import dev.tcc.nvrtc.Nvrtc;
import dev.tcc.nvrtc.NvrtcAssumptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every generated CUDA translation unit of the corpus compiles with NVRTC to an sm_90 CUBIN, with
 * the options its Program names, for IEEE and fast math, without warnings. Skips with the
 * locator's report when NVRTC is absent, unless TCC_REQUIRE_NVRTC=1 (then fails). NVRTC is
 * thread-safe, so the compiles run on all cores, started when the first case is checked.
 */
class NvrtcCorpusTest {
    static Stream<KernelCorpus.Case> corpus() { return CorpusSupport.cases().stream(); }

    private static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
        Thread t = new Thread(r, "nvrtc-corpus");
        t.setDaemon(true);
        return t;
    });
    private static final Map<String, CompletableFuture<CompileResult>> RESULTS = new ConcurrentHashMap<>();

    private static CompletableFuture<CompileResult> compile(Nvrtc nvrtc, KernelCorpus.Case c, boolean fast) {
        return RESULTS.computeIfAbsent(c.name() + (fast ? "/fast" : ""), k -> CompletableFuture.supplyAsync(() -> {
            Program p = CorpusSupport.scheduled(c, fast).program();
            return nvrtc.compile(p.sources().cuda(), p.name() + ".cu", "sm_90", p.sources().nvrtcOptions());
        }, POOL));
    }

    @AfterAll
    static void stop() { POOL.shutdownNow(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void compilesToSm90(KernelCorpus.Case c) {
        Nvrtc nvrtc = NvrtcAssumptions.nvrtcOrSkip();
        for (KernelCorpus.Case other : CorpusSupport.cases())
            for (boolean fast : new boolean[] {false, true}) compile(nvrtc, other, fast);
        for (boolean fast : List.of(false, true)) {
            CompileResult r = compile(nvrtc, c, fast).join();
            assertTrue(r.cubin().length > 0, "empty CUBIN for " + c.name());
            assertFalse(r.log().contains("warning"), () -> c.name() + (fast ? " (fast math)" : "") + ": NVRTC warned:\n" + r.log());
        }
    }
}
