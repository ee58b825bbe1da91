package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LaunchConfigTest {
    @Test void linearCoversEveryElementAndCapsTheGrid() {
        assertEquals(LaunchConfig.of(4, 256), LaunchConfig.linear(1000, 256, 1, 1 << 20));
        assertEquals(LaunchConfig.of(1, 256), LaunchConfig.linear(256, 256, 1, 1 << 20));
        assertEquals(LaunchConfig.of(2, 256), LaunchConfig.linear(257, 256, 1, 1 << 20));
        assertEquals(LaunchConfig.of(1, 256), LaunchConfig.linear(0, 256, 1, 1 << 20), "an empty problem still launches one block");
        assertEquals(LaunchConfig.of(97_657, 256), LaunchConfig.linear(100_000_000L, 256, 4, 1 << 20));
        assertEquals(LaunchConfig.of(132 * 8, 256), LaunchConfig.linear(100_000_000L, 256, 1, 132 * 8), "grid-stride cap");
        long huge = 1L << 42;
        assertEquals(Integer.MAX_VALUE, LaunchConfig.linear(huge, 256, 1, Long.MAX_VALUE).gridX());
        for (long n : new long[] {1, 31, 32, 33, 1023, 1024, 1025, 123_456_789}) {
            LaunchConfig c = LaunchConfig.linear(n, 128, 2, Long.MAX_VALUE);
            assertTrue(c.blocks() * c.threadsPerBlock() * 2 >= n, "covers " + n);
            assertTrue((c.blocks() - 1) * c.threadsPerBlock() * 2 < Math.max(n, 1), "no spare block for " + n);
        }
    }

    @Test void tilesAndRows() {
        LaunchConfig t = LaunchConfig.tiles(4096, 4096, 128, 128, 256, 1);
        assertEquals(new LaunchConfig(32, 32, 1, 256, 1, 1, 0), t);
        assertEquals(new LaunchConfig(3, 2, 5, 64, 1, 1, 0), LaunchConfig.tiles(33, 65, 32, 32, 64, 5));
        assertEquals(new LaunchConfig(400, 1, 1, 128, 1, 1, 0), LaunchConfig.rows(400, 128));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LaunchConfig.tiles(1L << 22, 1, 16, 16, 64, 1));
        assertTrue(e.getMessage().contains("over the device's limit"), e.getMessage());
    }

    @Test void checkNamesTheKernelAndTheNumbers() {
        LaunchConfig.Limits h200 = new LaunchConfig.Limits(1024, 1024, 1024, 64, Integer.MAX_VALUE, 65535, 65535, 232_448);
        new LaunchConfig(1, 65535, 1, 32, 32, 1, 100_000).check("ok", h200);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LaunchConfig(1, 1, 1, 64, 32, 1, 0).check("gemm_1", h200));
        assertEquals("kernel gemm_1 cannot be launched with grid (1, 1, 1) block (64, 32, 1); 2048 threads a block, over the device's 1024",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(1, 70_000, 1, 32, 1, 1, 300_000).check("k", h200));
        assertTrue(e.getMessage().contains("grid (1, 70000, 1) over the limit (2147483647, 65535, 65535)"), e.getMessage());
        assertTrue(e.getMessage().contains("300000 bytes of dynamic shared memory, over the device's 232448"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(0, 1, 1, 1, 1, 1, 0));
    }
}
