package dev.tcc.cli;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.Var;
import dev.tcc.ir.TensorType;
import dev.tcc.lang.FunctionSpec;
import dev.tcc.lang.GraphParser;
import dev.tcc.lang.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns {@code --arg NAME=VALUE} options into one array per input of a function; every problem is a usage error (exit 2). */
final class Arguments {
    private Arguments() {}

    /** An input's name for {@code --arg}: its variable name, or its position for an unnamed input. */
    static String nameOf(Var input, int position) { return input.name() != null ? input.name() : Integer.toString(position); }

    static List<NDArray> parse(FunctionSpec fn, List<String> raw, GraphParser parser) {
        String function = fn.name();
        List<Var> inputs = fn.inputs();
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) byName.putIfAbsent(nameOf(inputs.get(i), i), i);
        NDArray[] values = new NDArray[inputs.size()];
        for (String a : raw) {
            int eq = a.indexOf('=');
            if (eq <= 0) throw CliException.usage("--arg " + a + ": write --arg NAME=VALUE, for example --arg x=1.5");
            String name = a.substring(0, eq).trim();
            String text = a.substring(eq + 1).trim();
            Integer idx = byName.get(name);
            if (idx == null) {
                String has = inputs.isEmpty() ? "it takes no inputs" : "its inputs are " + String.join(", ", byName.keySet());
                throw CliException.usage("--arg " + name + ": function '" + function + "' (declared at " + fn.site() + ") has no input '"
                        + name + "'" + Names.didYouMean(name, byName.keySet()) + " (" + has + ")");
            }
            if (values[idx] != null) throw CliException.usage("--arg " + name + " is given twice");
            if (text.isEmpty()) throw CliException.usage("--arg " + name + "= has no value; write a number, @file.npy or an expression");
            values[idx] = convert(name, inputs.get(idx), text, parser);
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < values.length; i++) if (values[i] == null) {
            missing.add(nameOf(inputs.get(i), i) + " (" + inputs.get(i).type() + ", made at " + inputs.get(i).site() + ")");
        }
        if (!missing.isEmpty()) throw CliException.usage("function '" + function + "' needs a value for input"
                + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + "; pass --arg NAME=VALUE for each");
        return List.of(values);
    }

    private static NDArray convert(String name, Var input, String text, GraphParser parser) {
        TensorType t = input.type();
        String in = "input '" + name + "' (" + t + ", made at " + input.site() + ")";
        Object v;
        if (text.startsWith("@")) {
            Path p = Path.of(text.substring(1));
            try {
                v = NDArray.load(p);
            } catch (NoSuchFileException e) {
                throw CliException.usage("--arg " + name + "=" + text + ": no such file " + p + " (for " + in + ")");
            } catch (IOException e) {
                throw CliException.usage("--arg " + name + "=" + text + ": " + (Files.isDirectory(p) ? p + " is a folder" : e.getMessage()));
            }
        } else {
            v = parser.evaluate("--arg " + name, text, null);      // a GraphError is shown with its column (exit 2)
        }
        NDArray a;
        if (v instanceof Number n) {
            if (t.ndim() > 0) throw CliException.usage("--arg " + name + "=" + text + ": " + in + " has rank " + t.ndim() + "; a number fits only a scalar input. Pass an array, e.g. @file.npy or random(0).randn(...)");
            a = NDArray.scalar(t.dtype(), n.doubleValue());
        } else if (v instanceof Boolean b) {
            if (t.ndim() > 0) throw CliException.usage("--arg " + name + "=" + text + ": " + in + " has rank " + t.ndim() + "; a boolean fits only a scalar input");
            a = NDArray.scalar(t.dtype(), b ? 1 : 0);
        } else if (v instanceof NDArray arr) {
            a = arr;
            if (a.dtype() != t.dtype()) throw CliException.usage("--arg " + name + ": the value is " + (a.dtype() == DType.INT32 || a.dtype() == DType.INT64 ? "an " : "a ") + a.dtype() + " array, but "
                    + in + " is " + t.dtype() + "; convert it with .astype(" + t.dtype() + ")" + (text.startsWith("@") ? "" : ": " + text + ".astype(" + t.dtype() + ")"));
        } else {
            throw CliException.usage("--arg " + name + "=" + text + ": a value for " + in + " must be a number or an array, not " + describe(v));
        }
        if (a.ndim() != t.ndim()) throw CliException.usage("--arg " + name + ": the value has shape " + NDArray.shapeString(a.shape())
                + " (rank " + a.ndim() + "), but " + in + " has rank " + t.ndim());
        if (!t.accepts(a.shape())) throw CliException.usage("--arg " + name + ": the value has shape " + NDArray.shapeString(a.shape())
                + ", which does not fit " + in);
        return a;
    }

    private static String describe(Object v) {
        if (v instanceof Var x) return "a tensor (" + x.type() + "); --arg values are computed on the host";
        if (v instanceof String s) return "a string \"" + s + "\"";
        if (v instanceof DType d) return "a dtype (" + d + ")";
        return "a " + v.getClass().getSimpleName();
    }
}
