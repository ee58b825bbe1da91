package dev.tcc.runtime;

import dev.tcc.Backend;
import dev.tcc.TccException;
import dev.tcc.backend.cpu.CpuBackend;
import dev.tcc.backend.cpu.CpuExecutable;
import dev.tcc.codegen.Schedule;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.opt.Optimizer;
import java.util.concurrent.atomic.AtomicBoolean;

/** Picks and starts a backend for a function. */
public final class Backends {
    private static final AtomicBoolean WARNED_INTERP = new AtomicBoolean();

    private Backends() {}

    public static Executable compile(FunctionGraph graph, Backend requested) {
        switch (requested) {
            case INTERP:
                return new InterpExecutable(graph);
            case CPU:
                return cpu(graph, false);
            case AUTO: {
                // CUDA joins here when its backend lands (AUTO prefers a usable GPU).
                Executable e = cpu(graph, true);
                if (e != null) return e;
                if (WARNED_INTERP.compareAndSet(false, true))
                    System.err.println("tcc: warning: no GPU and no working C compiler (" + CpuBackend.unavailableReason()
                            + "); running on the reference interpreter, which is slow. Install gcc or set TCC_CC.");
                return new InterpExecutable(graph);
            }
            default:
                throw new TccException("backend " + requested + " is not available in this build; use Backend.CPU, Backend.INTERP or Backend.AUTO");
        }
    }

    /**
     * optimize → schedule → compile the C → run on the CPU. The compiler is looked for on a
     * background thread meanwhile (in a fresh process that overlaps a few hundred ms).
     *
     * @param orNull return null instead of throwing when no C compiler works (AUTO)
     */
    static Executable cpu(FunctionGraph graph, boolean orNull) {
        CpuBackend.warmUp();
        Schedule.Result r = Schedule.schedule(optimize(graph));
        if (orNull && !CpuBackend.available()) return null;
        CpuBackend.compiler();                       // a clear error when there is no compiler
        return CpuExecutable.compile(r.program(), r.sharedVars());
    }

    static FunctionGraph optimize(FunctionGraph graph) {
        return Optimizer.optimize(graph).graph();
    }
}
