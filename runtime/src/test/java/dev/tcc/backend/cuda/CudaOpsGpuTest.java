package dev.tcc.backend.cuda;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/** {@link CudaOpsCases} on the GPU; skipped without one. */
@Tag("gpu")
class CudaOpsGpuTest extends CudaOpsCases {
    @BeforeEach void device() { CudaAssumptions.contextOrSkip(); }
}
