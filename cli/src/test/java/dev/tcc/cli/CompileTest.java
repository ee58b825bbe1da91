package dev.tcc.cli;

import static dev.tcc.cli.Cli.tcc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.codegen.program.Program;
import dev.tcc.nvrtc.Nvrtc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** tcc compile and the compiled stages of tcc inspect, on every sample. */
class CompileTest {
    static final String SAMPLES = "../samples/";

    /** NVRTC, or a skip (a failure when TCC_REQUIRE_NVRTC=1, as in CI). */
    static Nvrtc nvrtc() {
        Optional<Nvrtc> n = Nvrtc.find();
        if (n.isEmpty() && "1".equals(System.getenv("TCC_REQUIRE_NVRTC")))
            throw new AssertionError("TCC_REQUIRE_NVRTC=1 but NVRTC is missing: " + Nvrtc.unavailableReason());
        Assumptions.assumeTrue(n.isPresent(), () -> "NVRTC not found (scripts/setup-nvrtc installs it): " + Nvrtc.unavailableReason());
        return n.get();
    }

    private static Cli.Result ok(String... args) {
        Cli.Result r = tcc(args);
        assertEquals(0, r.code(), r::toString);
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar/scalar.graph", "vectors/vectors.graph", "function/function.graph", "shared/shared.graph",
            "grad/grad.graph", "mlp/mlp.graph"})
    void writesSourcesAndAManifestThatLoadsBack(String sample, @TempDir Path dir) throws IOException {
        Cli.Result r = ok("compile", SAMPLES + sample, "-o", dir.toString());
        List<Path> manifests;
        try (var s = Files.list(dir)) {
            manifests = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(manifests.isEmpty(), r::toString);
        for (Path m : manifests) {
            String stem = m.getFileName().toString().replace(".json", "");
            Program p = Program.read(m);
            assertEquals(p, Program.fromJson(p.toJson()), "the manifest round-trips");
            assertEquals(p.sources().cuda(), Files.readString(dir.resolve(stem + ".cu")));
            assertEquals(p.sources().c(), Files.readString(dir.resolve(stem + ".c")));
            assertTrue(r.out().contains("function '" + p.name() + "'") || r.out().contains("wrote " + m), r::toString);
        }
    }

    @Test
    void theReadmeCompileCommand(@TempDir Path dir) throws IOException {
        Cli.Result r = ok("compile", SAMPLES + "mlp/mlp.graph", "-o", dir.toString());
        assertTrue(r.out().startsWith("function 'train': "), r::toString);
        for (String f : new String[] {"train.cu", "train.c", "train.json", "predict.cu", "predict.c", "predict.json"})
            assertTrue(Files.exists(dir.resolve(f)), f);
        assertTrue(Files.readString(dir.resolve("train.cu")).contains("mlp.graph:14:"), "kernels name their .graph places");
    }

    @Test
    void targetsAndFunctionSelection(@TempDir Path dir) {
        ok("compile", SAMPLES + "shared/shared.graph", "-o", dir.toString(), "--fn", "accumulate", "--target", "c");
        assertTrue(Files.exists(dir.resolve("accumulate.c")) && Files.exists(dir.resolve("accumulate.json")));
        assertFalse(Files.exists(dir.resolve("accumulate.cu")));
        assertFalse(Files.exists(dir.resolve("skip_shared.json")));
        assertEquals(2, tcc("compile", SAMPLES + "shared/shared.graph", "--target", "ptx").code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar/scalar.graph", "vectors/vectors.graph", "function/function.graph", "shared/shared.graph",
            "grad/grad.graph", "mlp/mlp.graph"})
    void cubinsCompileWithNvrtc(String sample, @TempDir Path dir) throws IOException {
        nvrtc();
        Cli.Result r = ok("compile", SAMPLES + sample, "-o", dir.toString(), "--cubin", "--target", "cuda");
        try (var s = Files.list(dir)) {
            List<Path> cubins = s.filter(p -> p.toString().endsWith(".cubin")).toList();
            assertFalse(cubins.isEmpty(), r::toString);
            for (Path c : cubins) {
                assertTrue(Files.size(c) > 0);
                String log = Files.readString(Path.of(c.toString().replace(".cubin", ".ptxas.txt")));
                assertTrue(log.contains("registers"), log);
            }
        }
    }

    @Test
    void inspectPasses() {
        Cli.Result r = ok("inspect", SAMPLES + "mlp/mlp.graph", "--fn", "train", "--stage", "passes");
        assertTrue(r.out().startsWith("function 'train': optimizer passes, "), r::toString);
        for (String s : new String[] {"phase canonicalize:", "phase stabilize:", "log_1_minus_sigmoid", "phase fuse:", "fuse.kernels"})
            assertTrue(r.out().contains(s), () -> s + "\n" + r);
    }

    @Test
    void inspectOptimizedShowsFusedNodesAndTheirPlaces() {
        Cli.Result r = ok("inspect", SAMPLES + "mlp/mlp.graph", "--fn", "predict", "--stage", "source,optimized");
        assertTrue(r.out().contains("\n(optimized: 7 -> "), r::toString);
        assertTrue(r.out().contains("fused{add,sigmoid,gt} [id "), r::toString);
        assertTrue(r.out().contains("'prediction'  ../samples/mlp/mlp.graph:13:21  fuses ../samples/mlp/mlp.graph:12:"), r::toString);
    }

    @Test
    void inspectKernelsShowsSourcesAndGraphLines() {
        Cli.Result r = ok("inspect", SAMPLES + "mlp/mlp.graph", "--fn", "predict", "--stage", "kernels", "--no-nvrtc");
        assertTrue(r.out().startsWith("function 'predict': 2 kernels (2 gemm)\n"), r::toString);
        assertTrue(r.out().contains("== kernel 1: tcc_predict_k1_gemm (gemm) dot at ../samples/mlp/mlp.graph:12:18"), r::toString);
        assertTrue(r.out().contains("      13 | var prediction = p1 > 0.5;"), r::toString);
        assertTrue(r.out().contains("-- CUDA C\n") && r.out().contains("-- C\n") && r.out().contains("extern \"C\" __global__"), r::toString);
    }

    @Test
    void inspectKernelsReportsRegistersWithNvrtc() {
        nvrtc();
        Cli.Result r = ok("inspect", SAMPLES + "scalar/scalar.graph", "--stage", "kernels");
        assertTrue(r.out().matches("(?s).*   CUDA sm_90 tcc_chain_k0_\\w+: \\d+ registers, \\d+ bytes spill stores.*"), r::toString);
    }

    @Test
    void dotOfTheOptimizedGraphDrawsFusedKernelsAsClusters(@TempDir Path dir) throws IOException {
        Path dot = dir.resolve("p.dot");
        ok("inspect", SAMPLES + "mlp/mlp.graph", "--fn", "predict", "--stage", "optimized", "--dot", dot.toString());
        String text = Files.readString(dot);
        assertTrue(text.contains("subgraph cluster_n") && text.contains("fused kernel"), text);
    }

    @Test
    void benchSaysHowManyKernelsACallIs() {
        Cli.Result r = ok("bench", SAMPLES + "scalar/scalar.graph", "--arg", "x=1", "--arg", "y=2", "--steps", "3", "--warmup", "0");
        assertTrue(r.out().contains("kernels per call: "), r::toString);
    }
}
