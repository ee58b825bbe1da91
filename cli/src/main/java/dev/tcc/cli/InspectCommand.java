package dev.tcc.cli;

import dev.tcc.codegen.program.Program;
import dev.tcc.codegen.program.Step;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.nvrtc.Nvrtc;
import java.util.Map;
import dev.tcc.lang.DebugPrint;
import dev.tcc.lang.DotGraph;
import dev.tcc.lang.FunctionSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints the graphs of a .graph file's functions, before and after optimization, and their kernels.",
                "Graphs print like Theano's debugprint: one line per variable with its id, op, type, name and the",
                ".graph place that made it, its operands indented below it."},
        footer = {"", "Examples:",
                "  tcc inspect samples/scalar/scalar.graph",
                "  tcc inspect samples/mlp/mlp.graph --fn train --stage passes,optimized",
                "  tcc inspect samples/mlp/mlp.graph --fn predict --stage kernels",
                "  tcc inspect samples/mlp/mlp.graph --fn predict --stage optimized --dot predict.svg"})
final class InspectCommand extends GraphCommand {
    enum Stage { source, optimized, passes, kernels }

    @Option(names = "--fn", paramLabel = "NAME", description = "Only this function (default: all).")
    String fn;

    @Option(names = "--stage", paramLabel = "STAGE", split = ",", defaultValue = "source",
            description = {"What to print, one or more of ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}):",
                    "source: the graph as the file builds it (gradients expanded, givens substituted);",
                    "optimized: after the optimizer, fused nodes listing the places of the ops they fuse;",
                    "passes: each optimizer phase and rule with the number of changes it made;",
                    "kernels: each kernel's CUDA C and C with the .graph lines it came from and, when NVRTC is present, its registers and spills."})
    List<Stage> stages = new ArrayList<>();

    @Option(names = "--arch", paramLabel = "sm_XY", defaultValue = "sm_90",
            description = "GPU architecture for the register report of --stage kernels (default ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--no-nvrtc", description = "With --stage kernels, do not compile with NVRTC (no register report).")
    boolean noNvrtc;

    @Option(names = "--dot", paramLabel = "OUT.dot|OUT.svg",
            description = "Also write the graphs for Graphviz; .svg runs Graphviz's dot program, which must be installed.")
    Path dot;

    @Override protected int execute() throws IOException {
        List<FunctionSpec> fns = functions(fn);
        List<Stage> order = new ArrayList<>(new java.util.LinkedHashSet<>(stages));
        boolean compiled = order.contains(Stage.optimized) || order.contains(Stage.passes) || order.contains(Stage.kernels);
        List<FunctionGraph> dotGraphs = new ArrayList<>();
        Nvrtc nvrtc = order.contains(Stage.kernels) && !noNvrtc ? Nvrtc.find().orElse(null) : null;
        boolean first = true;
        for (FunctionSpec f : fns) {
            Compilation c = compiled ? Compilation.of(this, f, false) : null;
            dotGraphs.add(c != null && order.contains(Stage.optimized) ? c.optimized().graph() : f.graph());
            for (Stage st : order) {
                if (!first) out().println();
                first = false;
                switch (st) {
                    case source -> out().print(DebugPrint.function(f.graph()));
                    case optimized -> {
                        out().println("(optimized: " + c.optimized().nodesBefore() + " -> " + c.optimized().nodesAfter() + " nodes, "
                                + c.optimized().fusedKernels() + " fused)");
                        out().print(DebugPrint.function(c.optimized().graph(), c.optimized().fusedSites()));
                    }
                    case passes -> {
                        out().println("function '" + f.name() + "': optimizer passes, " + c.optimized().nodesBefore() + " -> "
                                + c.optimized().nodesAfter() + " nodes");
                        out().print(c.optimized().report().format());
                    }
                    case kernels -> kernels(c, nvrtc);
                }
            }
        }
        if (order.contains(Stage.kernels) && nvrtc == null && !noNvrtc)
            err().println("note: no register report: " + Nvrtc.unavailableReason());
        if (dot != null) writeDot(DotGraph.of(dotGraphs));
        return 0;
    }

    /** Each step: what it computes, the .graph lines it came from, its resources, then its CUDA C and C. */
    private void kernels(Compilation c, Nvrtc nvrtc) {
        Program p = c.program();
        out().println("function '" + c.spec().name() + "': " + c.stepSummary());
        Map<String, Compilation.KernelResources> res = Map.of();
        if (nvrtc != null) res = Compilation.resources(c.cubin(nvrtc, arch).log());
        Map<Integer, String> cuda = Compilation.splitByStep(p.sources().cuda());
        Map<Integer, String> cc = Compilation.splitByStep(p.sources().c());
        for (int i = 0; i < p.steps().size(); i++) {
            Step s = p.steps().get(i);
            out().println();
            out().println("== kernel " + i + ": " + s.kernel() + " (" + Compilation.kind(s) + ") " + s.description());
            String both = cuda.getOrDefault(i, "") + cc.getOrDefault(i, "") + s.description();
            List<Integer> lines = sourceLines(both);
            if (!lines.isEmpty()) {
                out().println("   from " + program.file() + ":");
                for (int line : lines) out().printf("   %5d | %s%n", line, program.source().split("\r?\n", -1)[line - 1]);
            }
            if (nvrtc != null) {
                boolean any = false;
                for (Compilation.KernelResources r : res.values()) if (r.entry().startsWith(s.kernel())) {
                    out().println("   CUDA " + arch + " " + r);
                    any = true;
                }
                if (!any) out().println("   CUDA: no entry function " + s.kernel() + " in the ptxas report");
            }
            if (s instanceof dev.tcc.codegen.program.GemmStep) out().println("   (on the CPU, the product itself is an OpenBLAS call; the C below is its fallback and epilogue)");
            out().println("-- CUDA C");
            out().print(cuda.getOrDefault(i, "(none)\n"));
            out().println("-- C");
            out().print(cc.getOrDefault(i, "(none)\n"));
        }
    }

    /** The lines of this .graph file that a piece of generated code names (as file:line:col). */
    private List<Integer> sourceLines(String code) {
        java.util.TreeSet<Integer> lines = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(program.file()) + ":(\\d+)(?::\\d+)?").matcher(code);
        int count = program.source().split("\r?\n", -1).length;
        while (m.find()) {
            int l = Integer.parseInt(m.group(1));
            if (l >= 1 && l <= count) lines.add(l);
        }
        return new ArrayList<>(lines);
    }

    private void writeDot(String text) throws IOException {
        String name = dot.getFileName() == null ? "" : dot.getFileName().toString().toLowerCase();
        if (dot.getParent() != null) Files.createDirectories(dot.getParent());
        if (!name.endsWith(".svg")) {
            Files.writeString(dot, text, StandardCharsets.UTF_8);
            err().println("wrote " + dot);
            return;
        }
        Path dotProgram = findOnPath("dot");
        if (dotProgram == null) throw CliException.failure("--dot " + dot + ": writing SVG needs Graphviz's 'dot' program, which is not on the PATH; "
                + "install Graphviz, or write a .dot file (--dot " + name.replaceAll("\\.svg$", ".dot") + ") and convert it elsewhere", null);
        Process p = new ProcessBuilder(dotProgram.toString(), "-Tsvg", "-o", dot.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw CliException.failure("--dot: Graphviz's dot did not finish in 2 minutes", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failure("--dot: interrupted", e);
        }
        if (p.exitValue() != 0) throw CliException.failure("--dot: Graphviz's dot failed (exit " + p.exitValue() + "): " + output.trim(), null);
        err().println("wrote " + dot);
    }

    static Path findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }
}
