package dev.tcc.cli;

import dev.tcc.ir.FunctionGraph;
import dev.tcc.lang.DebugPrint;
import dev.tcc.lang.DotGraph;
import dev.tcc.lang.FunctionSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints the graphs of a .graph file's functions.",
                "The form is Theano's debugprint: one line per variable with its id, op, type, name and the",
                ".graph place that made it, its operands indented below it."},
        footer = {"", "Examples:",
                "  tcc inspect samples/scalar/scalar.graph",
                "  tcc inspect samples/mlp/mlp.graph --fn predict --dot predict.svg"})
final class InspectCommand extends GraphCommand {
    enum Stage { source }

    @Option(names = "--fn", paramLabel = "NAME", description = "Only this function (default: all).")
    String fn;

    @Option(names = "--stage", paramLabel = "STAGE", split = ",", defaultValue = "source",
            description = "What to print: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}): the graph as written, with gradients expanded and givens substituted.")
    List<Stage> stages = new ArrayList<>();

    @Option(names = "--dot", paramLabel = "OUT.dot|OUT.svg",
            description = "Also write the graphs for Graphviz; .svg runs Graphviz's dot program, which must be installed.")
    Path dot;

    @Override protected int execute() throws IOException {
        List<FunctionSpec> fns = functions(fn);
        EnumSet<Stage> want = EnumSet.copyOf(stages);
        List<FunctionGraph> graphs = new ArrayList<>();
        for (FunctionSpec f : fns) graphs.add(f.graph());
        boolean first = true;
        if (want.contains(Stage.source)) {
            for (FunctionGraph g : graphs) {
                if (!first) out().println();
                first = false;
                out().print(DebugPrint.function(g));
            }
        }
        if (dot != null) writeDot(DotGraph.of(graphs));
        return 0;
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
