package dev.tcc.lang;

import dev.tcc.SharedVar;
import dev.tcc.TccException;
import dev.tcc.Var;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed {@code .graph} file: its functions (by name, in order), its variables and its shared variables. */
public final class GraphProgram {
    private final String file;
    private final Path path;
    private final Map<String, FunctionSpec> functions;
    private final Map<String, Object> variables;
    private final List<SharedVar> shared;
    private final SourceFile src;

    GraphProgram(SourceFile src, Path path, Map<String, FunctionSpec> functions, Map<String, Object> variables, List<SharedVar> shared) {
        this.src = src;
        this.file = src.name;
        this.path = path;
        this.functions = Collections.unmodifiableMap(new LinkedHashMap<>(functions));
        this.variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
        this.shared = List.copyOf(shared);
    }

    /** The file's name as messages and creation sites give it. */
    public String file() { return file; }

    /** The file read, or null when the source came from a string. */
    public Path path() { return path; }

    /** The declared functions by name, in declaration order. */
    public Map<String, FunctionSpec> functions() { return functions; }

    /** The function called {@code name}; an error lists the declared ones (and the nearest name). */
    public FunctionSpec function(String name) {
        FunctionSpec f = functions.get(name);
        if (f != null) return f;
        if (functions.isEmpty()) throw new TccException(file + " declares no function; add one with function(\"" + name + "\").inputs(...).outputs(...);");
        throw new TccException(file + " has no function '" + name + "'" + Names.didYouMean(name, functions.keySet())
                + " (it declares " + declared() + ")");
    }

    /** Every declared name and its final value: a Var, an NDArray, a number, a list of Vars (from grad), ... */
    public Map<String, Object> variables() { return variables; }

    /** The tensor declared as {@code name}. */
    public Var var(String name) {
        Object v = variables.get(name);
        if (v instanceof Var x) return x;
        if (v == null) throw new TccException(file + " declares no variable '" + name + "'" + Names.didYouMean(name, variables.keySet()));
        throw new TccException("'" + name + "' in " + file + " is " + Values.describe(v) + ", not a tensor");
    }

    /** Every shared variable the file made, in order. */
    public List<SharedVar> sharedVariables() { return shared; }

    /** The source text. */
    public String source() { return src.text; }

    /**
     * An error at a place in this file (a run-time failure of the node made there, say), formatted
     * like every other {@code .graph} error; null when {@code site} is not in this file.
     */
    public GraphError errorAt(dev.tcc.ir.Site site, String message, Throwable cause) {
        if (site == null || !site.file().equals(file) || site.line() < 1) return null;
        return src.error(new SourceFile.Pos(site.line(), Math.max(1, site.column()), 1), message, cause);
    }

    /** {@code 'train' at mlp.graph:17:1, 'predict' at mlp.graph:20:1}. */
    public String declared() {
        List<String> q = new ArrayList<>();
        for (FunctionSpec f : functions.values()) q.add("'" + f.name() + "' at " + f.site());
        return String.join(", ", q);
    }
}
