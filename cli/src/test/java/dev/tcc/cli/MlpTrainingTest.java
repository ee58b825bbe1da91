package dev.tcc.cli;

import static dev.tcc.cli.Cli.tcc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.Rng;
import dev.tcc.backend.cpu.CpuBackend;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command: the seed MLP trained for 10,000 steps through {@code tcc run} on the
 * CPU backend reaches 100% training accuracy with a finite cross entropy. (The unoptimized
 * interpreter cannot: the literal cross entropy is log(0) once sigmoid saturates, which the
 * optimizer's stabilizing rewrites remove; and it takes about a second per step.) It takes a
 * minute or more on the CPU backend (tagged slow: -Dtcc.excludedGroups=slow leaves it out).
 */
@Tag("slow")
class MlpTrainingTest {
    @Test
    void tenThousandStepsReachFullAccuracy(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(CpuBackend.available(), () -> "no C compiler for the CPU backend: " + CpuBackend.unavailableReason());
        Cli.Result r = tcc("run", "../samples/mlp/mlp.graph", "--fn", "train", "--steps", "10000", "--backend", "cpu",
                "--arg", "x=random(0).randn(400, 784)", "--arg", "y=random(0).randint(0, 2, 400).astype(float32)",
                "--save", dir.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.err().contains("ran 'train' 10000 times on cpu"), r::toString);
        NDArray y = new Rng(0).randint(0, 2, 400).astype(DType.FLOAT32);
        NDArray prediction = NDArray.load(dir.resolve("prediction.npy"));
        NDArray xent = NDArray.load(dir.resolve("xent.npy"));
        int right = 0;
        for (int i = 0; i < 400; i++) {
            if ((prediction.getFlat(i) != 0) == (y.getFlat(i) != 0)) right++;
            assertTrue(Double.isFinite(xent.getFlat(i)), "finite cross entropy");
        }
        assertEquals(400, right, "training accuracy after 10,000 steps");
    }
}
