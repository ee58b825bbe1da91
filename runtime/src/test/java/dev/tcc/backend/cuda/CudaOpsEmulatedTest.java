package dev.tcc.backend.cuda;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link CudaOpsCases} with the generated CUDA kernels run by the CPU emulator. */
@ExtendWith(EmulatedCuda.class)
class CudaOpsEmulatedTest extends CudaOpsCases {}
