package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code @ExtendWith(EmulatedCuda.class)}: the test class's CUDA functions run on the CPU emulator
 * ({@link EmulatedDevice}) instead of a GPU, so that the generated CUDA kernels are executed and
 * checked on machines without one. Without g++ the class is skipped with the reason, except where
 * {@code TCC_REQUIRE_CUDA_EMULATOR=1} (CI), where that fails instead.
 */
public final class EmulatedCuda implements BeforeAllCallback, AfterAllCallback {
    /** The emulator, or the test is skipped (or failed, in CI) with the reason. */
    static EmulatedDevice deviceOrSkip() {
        EmulatedDevice d = EmulatedDevice.instance();
        if (d != null) return d;
        String reason = EmulatedDevice.unavailableReason();
        if ("1".equals(System.getenv("TCC_REQUIRE_CUDA_EMULATOR"))) fail("TCC_REQUIRE_CUDA_EMULATOR=1 but " + reason);
        assumeTrue(false, reason);
        throw new AssertionError("unreachable");
    }

    @Override public void beforeAll(ExtensionContext context) { CudaBackend.standIn(deviceOrSkip()); }

    @Override public void afterAll(ExtensionContext context) { CudaBackend.standIn(null); }
}
