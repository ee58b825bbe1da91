package dev.tcc.runtime;

import dev.tcc.Backend;
import dev.tcc.TccException;
import dev.tcc.backend.cuda.CudaBackend;
import dev.tcc.ir.FunctionGraph;

/** Picks and starts a backend for a function. */
public final class Backends {
    private Backends() {}

    public static Executable compile(FunctionGraph graph, Backend requested) {
        switch (requested) {
            case CUDA:
                if (!CudaBackend.isAvailable()) {
                    throw new TccException("Backend.CUDA was requested, but no CUDA device is usable: " + CudaBackend.unavailableReason());
                }
                // TODO(cuda): CudaExecutable runs Programs once the Program model and scheduler are merged.
                throw new TccException("Backend.CUDA: a device is usable (" + CudaBackend.describe()
                        + "), but this build cannot run functions on it yet; use Backend.INTERP or Backend.AUTO");
            case INTERP:
            case AUTO:
                // Compiled backends join here as they land (CPU: cc + JNA; CUDA: NVRTC + JCuda).
                return new InterpExecutable(graph);
            default:
                throw new TccException("backend " + requested + " is not available in this build; use Backend.INTERP or Backend.AUTO");
        }
    }
}
