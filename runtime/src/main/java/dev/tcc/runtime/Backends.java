package dev.tcc.runtime;

import dev.tcc.Backend;
import dev.tcc.TccException;
import dev.tcc.backend.cuda.CudaBackend;
import dev.tcc.backend.cuda.CudaExecutable;
import dev.tcc.SharedVar;
import dev.tcc.backend.cpu.CpuExecutable;
import dev.tcc.codegen.Schedule;
import dev.tcc.codegen.program.Program;
import java.util.List;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.opt.Optimizer;

/**
 * Picks and starts a backend for a function. {@code AUTO} picks CUDA when a device is usable
 * ({@link CudaBackend#isAvailable()}), else the interpreter. A compiled backend runs the graph
 * through the optimizer and the scheduler ({@link #schedule}) and compiles the Program.
 */
public final class Backends {
    private Backends() {}

    public static Executable compile(FunctionGraph graph, Backend requested) {
        switch (requested) {
            case CUDA:
                return cuda(graph);
            case AUTO:
                if (CudaBackend.isAvailable()) return cuda(graph);
                // The CPU backend (cc + JNA) joins here; without it, the interpreter.
                return new InterpExecutable(graph);
            case INTERP:
                return new InterpExecutable(graph);
            default:
                throw new TccException("backend " + requested + " is not available in this build; use Backend.INTERP or Backend.AUTO");
        }
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

    /** Optimizes {@code graph} and schedules it into a Program (with the shared variables it binds). */
    public static Schedule.Result schedule(FunctionGraph graph) {
        return Schedule.schedule(Optimizer.optimize(graph).graph());
    }

    private static Executable cuda(FunctionGraph graph) {
        if (!CudaBackend.isAvailable()) {
            throw new TccException("Backend.CUDA was requested, but no CUDA device is usable: " + CudaBackend.unavailableReason());
        }
        Schedule.Result r = schedule(graph);
        return CudaExecutable.compile(r.program(), r.sharedVars());
    }
}
