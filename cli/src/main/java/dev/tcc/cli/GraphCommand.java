package dev.tcc.cli;

import dev.tcc.Backend;
import dev.tcc.DType;
import dev.tcc.Function;
import dev.tcc.FunctionBuilder;
import dev.tcc.SharedVar;
import dev.tcc.Tcc;
import dev.tcc.TccException;
import dev.tcc.Var;
import dev.tcc.ir.Site;
import dev.tcc.lang.FunctionSpec;
import dev.tcc.lang.GraphError;
import dev.tcc.lang.GraphParser;
import dev.tcc.lang.GraphProgram;
import dev.tcc.lang.Names;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What every command that reads a .graph file shares: the file, options, output streams, picking functions. */
abstract class GraphCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin CommonOptions common;

    @Parameters(index = "0", paramLabel = "FILE.graph", description = "The .graph file.")
    Path file;

    protected final GraphParser parser = new GraphParser();
    protected GraphProgram program;

    PrintWriter out() { return spec.commandLine().getOut(); }

    PrintWriter err() { return spec.commandLine().getErr(); }

    @Override public final Integer call() throws Exception {
        DType oldFloatX = common.apply();
        try {
            program = load();
            return execute();
        } finally {
            common.restore(oldFloatX);
            out().flush();
            err().flush();
        }
    }

    protected abstract int execute() throws Exception;

    private GraphProgram load() {
        try {
            return parser.parse(file);
        } catch (GraphError e) {
            throw e;
        } catch (TccException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /** The function named {@code name}, or the file's only function when name is null. */
    FunctionSpec function(String name) {
        Map<String, FunctionSpec> fns = program.functions();
        if (name != null) {
            try {
                return program.function(name);
            } catch (TccException e) {
                throw CliException.usage(e.getMessage());
            }
        }
        if (fns.size() == 1) return fns.values().iterator().next();
        if (fns.isEmpty()) throw CliException.usage(file + " declares no function; add one with function(\"name\").inputs(...).outputs(...);");
        throw CliException.usage(file + " declares " + fns.size() + " functions (" + program.declared() + "); choose one with --fn NAME");
    }

    /** The functions {@code --fn} names, or all of them. */
    List<FunctionSpec> functions(String name) {
        if (name != null) return List.of(function(name));
        return new ArrayList<>(program.functions().values());
    }

    /** Builds a callable function on a backend; a failure to compile or start the backend is exit 1. */
    Function build(FunctionSpec fn, Backend backend) {
        FunctionBuilder b = Tcc.function(fn.name()).inputs(fn.inputs()).outputs(fn.outputs()).backend(backend);
        for (Map.Entry<SharedVar, Var> u : fn.updates()) b.update(u.getKey(), u.getValue());
        for (Map.Entry<Var, Object> g : fn.givens().entrySet()) b.givens(g.getKey(), g.getValue());
        try {
            return b.build();
        } catch (TccException e) {
            throw placed(e, "cannot build function '" + fn.name() + "' for backend " + backend.name().toLowerCase());
        }
    }

    private static final Pattern SITE = Pattern.compile("^(.+?):(\\d+):(\\d+): ");

    /**
     * A run-time or compile failure as exit 1. When the message starts with a place in this file
     * (the node that failed), it is shown with the source line and a caret like any .graph error.
     */
    CliException placed(TccException e, String context) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        Matcher m = SITE.matcher(msg);
        if (m.find()) {
            Site site = new Site(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            GraphError g = program.errorAt(site, context + ": " + msg.substring(m.end()), e);
            if (g != null) {
                CliException c = CliException.failure(g.getMessage(), e);
                c.placed = true;
                return c;
            }
        }
        return CliException.failure(context + ": " + msg, e);
    }

    static String suggest(String name, java.util.Collection<String> names) { return Names.didYouMean(name, names); }
}
