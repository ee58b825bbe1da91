package dev.tcc.runtime;

import dev.tcc.Backend;
import dev.tcc.SharedVar;
import dev.tcc.TccException;
import dev.tcc.backend.cpu.CpuBackend;
import dev.tcc.backend.cpu.CpuExecutable;
import dev.tcc.backend.cuda.CudaBackend;
import dev.tcc.backend.cuda.CudaExecutable;
import dev.tcc.codegen.Schedule;
import dev.tcc.codegen.Target;
import dev.tcc.codegen.program.Program;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.opt.Optimizer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Picks and starts a backend for a function. {@code AUTO} picks CUDA when a device is usable
 * ({@link CudaBackend#isAvailable()}), else the CPU when a C compiler works
 * ({@link CpuBackend#available()}), else the interpreter (with one warning per process). A
 * compiled backend runs the graph through the optimizer and the scheduler ({@link #schedule}) and
 * compiles the Program.
 */
public final class Backends {
    private static final AtomicBoolean WARNED_INTERP = new AtomicBoolean();

    private Backends() {}

    public static Executable compile(FunctionGraph graph, Backend requested) {
        switch (requested) {
            case CUDA:
                return cuda(graph);
            case CPU:
                return cpu(graph, false);
            case INTERP:
                return new InterpExecutable(graph);
            case AUTO: {
                if (CudaBackend.isAvailable()) return cuda(graph);
                Executable e = cpu(graph, true);
                if (e != null) return e;
                warnInterpreter();
                return new InterpExecutable(graph);
            }
            default:
                throw new TccException("backend " + requested + " is not available in this build; use Backend.CPU, Backend.INTERP or Backend.AUTO");
        }
    }

    private static void warnInterpreter() {
        if (WARNED_INTERP.compareAndSet(false, true))
            System.err.println("tcc: warning: no GPU and no working C compiler (" + CpuBackend.unavailableReason()
                    + "); running on the reference interpreter, which is slow. Install gcc or set TCC_CC.");
    }

    /**
     * Starts a Program that was compiled ahead of time (no optimizer runs): CUDA when asked or, for
     * AUTO, when a device is usable; else the CPU backend. The interpreter needs the graph, so it
     * cannot run a Program.
     */
    public static Executable load(Program program, List<SharedVar> shared, Backend requested) {
        boolean cuda = requested == Backend.CUDA || (requested == Backend.AUTO && CudaBackend.isAvailable());
        if (cuda) {
            if (!CudaBackend.isAvailable()) throw new TccException("Backend.CUDA was requested, but no CUDA device is usable: "
                    + CudaBackend.unavailableReason());
            return CudaExecutable.compile(program, shared);
        }
        if (requested == Backend.INTERP) throw new TccException("function '" + program.name() + "' was loaded from a compiled "
                + "Program, which the interpreter cannot run; use Backend.CPU, Backend.CUDA or Backend.AUTO");
        return CpuExecutable.compile(program, shared);
    }

    /**
     * Optimizes {@code graph} and schedules it into a Program (with the shared variables it binds);
     * the scheduler gets the optimizer's whole result, so that its in-place plan orders the update
     * kernels and kernel comments name the fused instructions' creation sites.
     */
    public static Schedule.Result schedule(FunctionGraph graph) {
        return Schedule.schedule(Optimizer.optimize(graph));
    }

    /** Like {@link #schedule(FunctionGraph)}, writing the sources of {@code target} only (the one that will run). */
    public static Schedule.Result schedule(FunctionGraph graph, Target target) {
        return Schedule.schedule(Optimizer.optimize(graph), Schedule.Options.defaults().only(target));
    }

    private static Executable cuda(FunctionGraph graph) {
        if (!CudaBackend.isAvailable()) {
            throw new TccException("Backend.CUDA was requested, but no CUDA device is usable: " + CudaBackend.unavailableReason());
        }
        Schedule.Result r = schedule(graph, Target.CUDA);
        return CudaExecutable.compile(r.program(), r.sharedVars());
    }

    /**
     * optimize → schedule → compile the C → run on the CPU. The compiler is looked for on a
     * background thread meanwhile (in a fresh process that overlaps a few hundred ms).
     *
     * @param orNull return null instead of throwing when no C compiler works (AUTO)
     */
    private static Executable cpu(FunctionGraph graph, boolean orNull) {
        CpuBackend.warmUp();
        Schedule.Result r = schedule(graph, Target.C);
        if (orNull && !CpuBackend.available()) return null;
        CpuBackend.compiler();                       // a clear error when there is no compiler
        return CpuExecutable.compile(r.program(), r.sharedVars());
    }
}
