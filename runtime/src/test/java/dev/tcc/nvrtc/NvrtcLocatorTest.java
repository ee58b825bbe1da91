package dev.tcc.nvrtc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The search itself, on fake folders: needs no NVRTC. */
class NvrtcLocatorTest {
    @TempDir Path tmp;

    @Test
    void explicitFileIsTheOnlyCandidate() throws IOException {
        Path lib = touch(tmp.resolve("custom/libnvrtc.so.13.0.88"));
        var r = new NvrtcLocator(Map.of("TCC_NVRTC_LIB", lib.toString()), tmp).locate();
        assertEquals(List.of(lib), r.candidates());
    }

    @Test
    void explicitFolderPrefersVersion13AndNothingElseIsSearched() throws IOException {
        Path dir = tmp.resolve("cuda");
        touch(dir.resolve("libnvrtc.so.12"));
        touch(dir.resolve("libnvrtc.so.13"));
        touch(tmp.resolve(".nvrtc/nvidia/cu13/lib/libnvrtc.so.13"));
        var r = new NvrtcLocator(Map.of("TCC_NVRTC_LIB", dir.toString()), tmp).locate();
        assertEquals(List.of(dir.resolve("libnvrtc.so.13"), dir.resolve("libnvrtc.so.12")), r.candidates());
    }

    @Test
    void cudaHomeComesBeforeTheLocalFolder() throws IOException {
        Path home = tmp.resolve("cuda-12.4");
        touch(home.resolve("lib64/libnvrtc.so.12"));
        Path local = touch(tmp.resolve(".nvrtc/nvidia/cu13/lib/libnvrtc.so.13"));
        var r = new NvrtcLocator(Map.of("CUDA_HOME", home.toString()), tmp).locate();
        assertEquals(home.resolve("lib64/libnvrtc.so.12"), r.candidates().get(0));
        assertEquals(local, r.candidates().get(r.candidates().size() - 1));
    }

    @Test
    void findsTheLocalFolderAboveTheWorkingDirectoryInBothWheelLayouts() throws IOException {
        Path cu13 = touch(tmp.resolve(".nvrtc/nvidia/cu13/lib/libnvrtc.so.13"));
        Path cu12 = touch(tmp.resolve(".nvrtc/nvidia/cuda_nvrtc/lib/libnvrtc.so.12"));
        Path module = Files.createDirectories(tmp.resolve("runtime/target"));
        var r = new NvrtcLocator(Map.of(), module).locate();
        assertTrue(r.candidates().containsAll(List.of(cu13, cu12)), r.report());
        assertTrue(r.candidates().indexOf(cu13) < r.candidates().indexOf(cu12), r.report());
    }

    @Test
    void reportNamesEveryPlaceLookedAt() {
        Path missing = tmp.resolve("no-cuda");
        var r = new NvrtcLocator(Map.of("CUDA_PATH", missing.toString()), tmp).locate();
        String report = r.report();
        assertTrue(report.contains("TCC_NVRTC_LIB: not set"), report);
        assertTrue(report.contains("CUDA_HOME: not set"), report);
        assertTrue(report.contains(missing.resolve("lib64") + ")"), report);
        assertTrue(report.contains("/usr/local/cuda/lib64"), report);
        assertTrue(report.contains("no .nvrtc/ folder in " + tmp), report);
    }

    @Test
    void anUnloadableCandidateIsReportedNotThrown() throws IOException {
        Path fake = tmp.resolve("libnvrtc.so.13");
        Files.writeString(fake, "not a shared library");
        var probe = Nvrtc.probe(new NvrtcLocator(Map.of("TCC_NVRTC_LIB", fake.toString()), tmp));
        assertNull(probe.nvrtc());
        assertTrue(probe.reason().contains(fake + " could not be loaded"), probe.reason());
    }

    @Test
    void picksTheBuiltinsOfTheSameVersion() throws IOException {
        Path lib = touch(tmp.resolve("libnvrtc.so.12"));
        touch(tmp.resolve("libnvrtc-builtins.so.12.4"));
        touch(tmp.resolve("libnvrtc-builtins.so.12.10"));
        touch(tmp.resolve("libnvrtc-builtins.alt.so.12.4"));
        assertEquals(tmp.resolve("libnvrtc-builtins.so.12.4"), NvrtcLocator.builtinsFor(lib, 12, 4).orElseThrow());
        assertEquals(tmp.resolve("libnvrtc-builtins.so.12.10"), NvrtcLocator.builtinsFor(lib, 12, 6).orElseThrow());
        assertTrue(NvrtcLocator.builtinsFor(lib, 13, 0).isEmpty());
    }

    @Test
    void numbersSourceLinesFromOne() {
        assertEquals(" 1 | a\n 2 | b\n 3 | \n 4 | c\n 5 | d\n 6 | e\n 7 | f\n 8 | g\n 9 | h\n10 | i\n",
                NvrtcException.numbered("a\nb\n\nc\nd\ne\nf\ng\nh\ni\n"));
    }

    private static Path touch(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "");
        return p;
    }
}
