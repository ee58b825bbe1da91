package dev.tcc.backend.cuda;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/** {@link CudaSeedExamplesCases} on the GPU; skipped without one. */
@Tag("gpu")
class CudaSeedExamplesGpuTest extends CudaSeedExamplesCases {
    @BeforeEach void device() { CudaAssumptions.contextOrSkip(); }
}
