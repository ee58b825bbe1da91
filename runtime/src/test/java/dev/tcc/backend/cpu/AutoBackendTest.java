package dev.tcc.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tcc.Backend;
import dev.tcc.T;
import dev.tcc.Tcc;
import dev.tcc.Var;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backend.AUTO and Backend.CPU with and without a C compiler. */
class AutoBackendTest {
    @TempDir Path tmp;

    @Test
    void autoPicksCpuWhenACompilerWorks() {
        assumeTrue(CpuBackend.available(), "no working C compiler");
        Var x = T.vector("x");
        assertEquals(Backend.CPU, Tcc.function(List.of(x), x.add(1)).backend());
    }

    @Test
    void withoutACompilerAutoFallsBackToTheInterpreterWithOneWarning() throws Exception {
        String out = runChild("tcc-no-such-compiler-xyz");
        assertTrue(out.contains("backends=INTERP,INTERP"), out);
        assertTrue(out.contains("f(3)=6.0 g(0)=1.0"), out);
        assertEquals(1, out.split("tcc: warning: no GPU and no working C compiler", -1).length - 1, "exactly one warning:\n" + out);
        assertTrue(out.contains("no C compiler found"), "the warning says why: " + out);
    }

    @Test
    void cpuWithoutACompilerIsAClearError() throws Exception {
        // in this JVM the compiler may work; the child has none
        String out = runChild("tcc-no-such-compiler-xyz", "cpu");
        assertTrue(out.contains("the CPU backend cannot start: no C compiler found"), out);
        assertTrue(!out.contains("\tat "), "no bare stack trace: " + out);
    }

    private String runChild(String cc, String... mode) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                mode.length > 0 ? CpuOnlyMain.class.getName() : AutoFallbackMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TCC_CC", cc);
        pb.environment().put("TCC_CACHE_DIR", tmp.resolve("cache").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        return out;
    }

    /** Child: a function forced onto Backend.CPU; prints the error's message. */
    public static final class CpuOnlyMain {
        public static void main(String[] args) {
            Var x = T.scalar("x");
            try {
                Tcc.function("f").inputs(x).outputs(x.mul(2)).backend(Backend.CPU).build();
                System.out.println("built");
            } catch (dev.tcc.TccException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    @Test
    void unavailableReasonIsNullWhenAvailable() {
        assumeTrue(CpuBackend.available());
        assertEquals(null, CpuBackend.unavailableReason());
    }
}
