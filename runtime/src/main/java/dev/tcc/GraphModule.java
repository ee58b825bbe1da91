package dev.tcc;

import dev.tcc.codegen.program.InputInfo;
import dev.tcc.codegen.program.Program;
import dev.tcc.codegen.program.SharedInfo;
import dev.tcc.ir.Site;
import dev.tcc.ir.TensorType;
import dev.tcc.runtime.Backends;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Functions compiled ahead of time (by tcc-maven-plugin or {@code tcc compile}) and loaded from
 * their Programs: no parsing, no optimizer, only the backend's compiler (with the kernel cache).
 * Shared variables are common to all functions of the module, by name, as in the .graph file.
 */
public final class GraphModule {
    private final Map<String, Function> functions = new LinkedHashMap<>();
    private final Map<String, SharedVar> shared = new LinkedHashMap<>();

    private GraphModule() {}

    /**
     * Loads {@code functionNames} from classpath resources {@code resourceDir + NAME + ".json"} next to
     * {@code anchor}; shared values from {@code resourceDir + "shared/" + NAME + ".npy"}.
     */
    public static GraphModule load(Class<?> anchor, String resourceDir, List<String> functionNames, Backend backend) {
        GraphModule m = new GraphModule();
        for (String fn : functionNames) {
            String json = resource(anchor, resourceDir + fn + ".json");
            m.add(Program.fromJson(json), backend, name -> {
                try (InputStream in = anchor.getResourceAsStream(resourceDir + "shared/" + name + ".npy")) {
                    if (in == null) return null;
                    Path tmp = Files.createTempFile("tcc-shared", ".npy");
                    try {
                        Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        return NDArray.load(tmp);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the initial value of shared variable '" + name + "' from "
                            + resourceDir + "shared/" + name + ".npy: " + e.getMessage(), e);
                }
            });
        }
        return m;
    }

    /** Loads Programs written by {@code tcc compile} (FUNCTION.json files) from a folder. */
    public static GraphModule load(Path dir, List<String> functionNames, Backend backend) {
        GraphModule m = new GraphModule();
        for (String fn : functionNames) {
            try {
                m.add(Program.read(dir.resolve(fn + ".json")), backend, name -> {
                    Path npy = dir.resolve("shared").resolve(name + ".npy");
                    try {
                        return Files.exists(npy) ? NDArray.load(npy) : null;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException e) {
                throw new TccException("cannot read the Program of function '" + fn + "' from " + dir.resolve(fn + ".json")
                        + ": " + e.getMessage() + "; run `tcc compile` (or the Maven plugin) first", e);
            }
        }
        return m;
    }

    private void add(Program p, Backend backend, java.util.function.Function<String, NDArray> initialValue) {
        List<SharedVar> vars = new ArrayList<>();
        for (SharedInfo info : p.shared()) {
            SharedVar v = shared.get(info.name());
            if (v == null) {
                NDArray value = initialValue.apply(info.name());
                if (value == null && info.initial() != null) value = info.initial().toNDArray();
                if (value == null) throw new TccException("no initial value for shared variable '" + info.name()
                        + "' of function '" + p.name() + "'; the build that wrote the Program should have written shared/"
                        + info.name() + ".npy");
                v = new SharedVar(value, info.name(), site(info.site()));
                shared.put(info.name(), v);
            }
            vars.add(v);
        }
        List<Var> inputs = new ArrayList<>();
        for (InputInfo in : p.inputs()) {
            int[] shape = in.shape().stream().mapToInt(Integer::intValue).toArray();
            inputs.add(Var.input(new TensorType(in.dtype(), shape), in.name(), site(in.site())));
        }
        functions.put(p.name(), new Function(p.name(), inputs, null, Backends.load(p, vars, backend)));
    }

    private static Site site(String s) {
        return new Site(s == null ? "<unknown>" : s, 0, 0);
    }

    private static String resource(Class<?> anchor, String path) {
        try (InputStream in = anchor.getResourceAsStream(path)) {
            if (in == null) throw new TccException("resource " + path + " is not on the classpath; was the .graph compiled by tcc-maven-plugin?");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Function function(String name) {
        Function f = functions.get(name);
        if (f == null) throw new TccException("no function '" + name + "' in this module; it has " + functions.keySet());
        return f;
    }

    public SharedVar shared(String name) {
        SharedVar s = shared.get(name);
        if (s == null) throw new TccException("no shared variable '" + name + "' in this module; it has " + shared.keySet());
        return s;
    }

    public Map<String, SharedVar> sharedVariables() { return java.util.Collections.unmodifiableMap(shared); }
}
