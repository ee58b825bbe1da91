package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The device for tests tagged {@code gpu}. Without one a test is skipped with the probe's reason
 * (what was looked for, where, what failed), except where {@code TCC_REQUIRE_CUDA=1}
 * (scripts/gpu-check on a GPU host), where a missing device fails instead of silently skipping
 * every GPU test.
 */
public final class CudaAssumptions {
    private CudaAssumptions() {}

    public static CudaContext contextOrSkip() {
        if (CudaBackend.isAvailable()) return CudaBackend.context();
        String reason = CudaBackend.unavailableReason();
        if ("1".equals(System.getenv("TCC_REQUIRE_CUDA"))) fail("TCC_REQUIRE_CUDA=1 but " + reason);
        assumeTrue(false, "no usable CUDA device: " + reason);
        throw new AssertionError("unreachable");
    }
}
