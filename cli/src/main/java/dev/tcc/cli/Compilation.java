package dev.tcc.cli;

import dev.tcc.TccException;
import dev.tcc.codegen.Schedule;
import dev.tcc.codegen.program.Program;
import dev.tcc.codegen.program.Step;
import dev.tcc.lang.FunctionSpec;
import dev.tcc.nvrtc.CompileResult;
import dev.tcc.nvrtc.Nvrtc;
import dev.tcc.nvrtc.NvrtcException;
import dev.tcc.opt.OptimizedGraph;
import dev.tcc.opt.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A function taken through the compiler: optimized, scheduled into a Program with CUDA C and C sources. */
record Compilation(FunctionSpec spec, OptimizedGraph optimized, Program program) {

    static Compilation of(GraphCommand cmd, FunctionSpec spec, boolean embedShared) {
        OptimizedGraph o;
        try {
            o = Optimizer.optimize(spec.graph());
        } catch (TccException e) {
            throw cmd.placed(e, "optimizing function '" + spec.name() + "' failed");
        }
        try {
            Schedule.Options options = new Schedule.Options(dev.tcc.Config.get().fastMath(), embedShared);
            return new Compilation(spec, o, Schedule.schedule(o, options).program());
        } catch (TccException e) {
            throw cmd.placed(e, "generating code for function '" + spec.name() + "' failed");
        }
    }

    /** A file name for the function: letters, digits, '_' and '-' kept, anything else '_'. */
    String fileStem() { return spec.name().replaceAll("[^A-Za-z0-9_-]", "_"); }

    /** How many steps of each kind: {@code 4 gemm, 6 elementwise, 2 reduce}. */
    String stepSummary() {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (Step s : program.steps()) kinds.merge(kind(s), 1, Integer::sum);
        List<String> parts = new ArrayList<>();
        kinds.forEach((k, n) -> parts.add(n + " " + k));
        return program.steps().size() + " kernel" + (program.steps().size() == 1 ? "" : "s")
                + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
    }

    static String kind(Step s) {
        String n = s.getClass().getSimpleName().replace("Step", "").toLowerCase(java.util.Locale.ROOT);
        return n.equals("elementwise") ? "elementwise" : n;
    }

    /**
     * Each step's part of a generated translation unit: the code after its {@code // ---- step N}
     * comment(s), by step index; index -1 is the prelude before the first step.
     */
    static Map<Integer, String> splitByStep(String source) {
        Map<Integer, StringBuilder> parts = new TreeMap<>();
        Pattern marker = Pattern.compile("^// ---- step (\\d+)\\b");
        int current = -1;
        for (String line : source.split("\n", -1)) {
            Matcher m = marker.matcher(line);
            if (m.find()) current = Integer.parseInt(m.group(1));
            parts.computeIfAbsent(current, k -> new StringBuilder()).append(line).append('\n');
        }
        Map<Integer, String> out = new TreeMap<>();
        parts.forEach((k, v) -> out.put(k, v.toString().stripTrailing() + "\n"));
        return out;
    }

    /** Registers and spills of one CUDA entry function, as ptxas reports them. */
    record KernelResources(String entry, int registers, int spillStores, int spillLoads, int stackFrame) {
        @Override public String toString() {
            return entry + ": " + registers + " registers, " + spillStores + " bytes spill stores, " + spillLoads
                    + " bytes spill loads, " + stackFrame + " bytes stack frame";
        }
    }

    /** What ptxas said about each entry function (NVRTC with --ptxas-options=-v), by entry name. */
    static Map<String, KernelResources> resources(String ptxasLog) {
        Map<String, KernelResources> out = new LinkedHashMap<>();
        Pattern entry = Pattern.compile("Compiling entry function '([^']+)'");
        Pattern frame = Pattern.compile("(\\d+) bytes stack frame, (\\d+) bytes spill stores, (\\d+) bytes spill loads");
        Pattern regs = Pattern.compile("Used (\\d+) registers");
        String name = null;
        int[] f = null;
        for (String line : ptxasLog.split("\n")) {
            Matcher m = entry.matcher(line);
            if (m.find()) { name = m.group(1); f = new int[3]; continue; }
            if (name == null) continue;
            m = frame.matcher(line);
            if (m.find()) { f = new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))}; continue; }
            m = regs.matcher(line);
            if (m.find()) {
                out.put(name, new KernelResources(name, Integer.parseInt(m.group(1)), f[1], f[2], f[0]));
                name = null;
            }
        }
        return out;
    }

    /** Compiles the CUDA source to a CUBIN with ptxas's resource report; a failure is exit 1. */
    CompileResult cubin(Nvrtc nvrtc, String arch) {
        List<String> options = new ArrayList<>(program.sources().nvrtcOptions());
        options.add("--ptxas-options=-v");
        try {
            return nvrtc.compile(program.sources().cuda(), fileStem() + ".cu", arch, options);
        } catch (NvrtcException e) {
            throw CliException.failure("NVRTC could not compile the CUDA C of function '" + spec.name() + "' for " + arch + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--arch " + arch + ": " + e.getMessage());
        }
    }
}
