package dev.tcc.nvrtc;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * NVRTC for tests that compile CUDA C. Without it a test is skipped with the locator's report,
 * except where {@code TCC_REQUIRE_NVRTC=1} (CI), where a missing NVRTC must fail the build
 * instead of silently skipping every kernel compile.
 */
public final class NvrtcAssumptions {
    private NvrtcAssumptions() {}

    public static Nvrtc nvrtcOrSkip() {
        var nvrtc = Nvrtc.find();
        if (nvrtc.isPresent()) return nvrtc.get();
        String reason = Nvrtc.unavailableReason();
        if ("1".equals(System.getenv("TCC_REQUIRE_NVRTC"))) fail("TCC_REQUIRE_NVRTC=1 but " + reason);
        assumeTrue(false, reason);
        throw new AssertionError("unreachable");
    }
}
