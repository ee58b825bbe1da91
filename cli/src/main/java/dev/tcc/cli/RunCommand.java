package dev.tcc.cli;

import dev.tcc.Function;
import dev.tcc.NDArray;
import dev.tcc.Outputs;
import dev.tcc.SharedVar;
import dev.tcc.TccException;
import dev.tcc.Var;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Graphs;
import dev.tcc.lang.FunctionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Calls a function of a .graph file and prints its outputs.",
                "With --steps N it calls it N times and prints the outputs of the last call, then the shared",
                "variables the function updates."},
        footer = {"", "Examples:",
                "  tcc run samples/function/function.graph --arg x=1 --arg y=2",
                "  tcc run samples/shared/shared.graph --fn accumulate --arg inc=1 --steps 101",
                "  tcc run samples/mlp/mlp.graph --fn train --steps 100 --arg 'x=random(0).randn(400, 784)' \\",
                "      --arg 'y=random(0).randint(0, 2, 400).astype(float32)' --save out/"})
final class RunCommand extends GraphCommand {
    @Mixin CallOptions call;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1", description = "How many times to call the function (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--save", paramLabel = "DIR",
            description = "Write each output of the last call as DIR/NAME.npy (out0.npy, ... when unnamed) and each shared variable "
                    + "the function reads or updates as DIR/NAME.npy.")
    Path save;

    @Override protected int execute() throws IOException {
        if (steps < 1) throw CliException.usage("--steps must be at least 1, got " + steps);
        FunctionSpec fn = function(call.fn);
        List<NDArray> args = Arguments.parse(fn, call.args, parser);
        long b0 = System.nanoTime();
        Function f = build(fn, call.backend);
        double buildSeconds = (System.nanoTime() - b0) / 1e9;
        Outputs last = null;
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            try {
                if (last != null) last.close();      // only the last call's outputs are printed or saved
                last = f.call(args.toArray());
            } catch (TccException e) {
                throw placed(e, "call " + (i + 1) + " of function '" + fn.name() + "' failed");
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        err().println("ran '" + fn.name() + "' " + steps + " time" + (steps == 1 ? "" : "s") + " on " + f.backend().name().toLowerCase()
                + " in " + Printing.time(seconds) + (steps > 1 ? " (" + Printing.time(seconds / steps) + " per call)" : "")
                + ", after building it in " + Printing.time(buildSeconds));
        List<String> outNames = outputNames(fn.outputs());
        for (int i = 0; i < last.size(); i++) Printing.value(out(), outNames.get(i), last.get(i));
        if (!fn.updates().isEmpty()) {
            out().println("shared variables after call " + steps + ":");
            for (Map.Entry<SharedVar, Var> u : fn.updates()) {
                SharedVar s = u.getKey();
                Printing.brief(out(), "  " + label(s), s.getValue(), 10);
            }
        }
        if (save != null) save(fn, f.graph(), last, outNames);
        return 0;
    }

    private static String label(Var v) { return v.name() != null ? v.name() : "(unnamed " + v.type() + ")"; }

    /** Output names for printing: the variable's name, else out0, out1, ... */
    static List<String> outputNames(List<Var> outputs) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) names.add(outputs.get(i).name() != null ? outputs.get(i).name() : "out" + i);
        return names;
    }

    private void save(FunctionSpec fn, FunctionGraph graph, Outputs last, List<String> outNames) throws IOException {
        try {
            Files.createDirectories(save);
        } catch (IOException e) {
            throw CliException.failure("--save " + save + ": cannot create the folder: " + e.getMessage(), e);
        }
        // shared variables the function reads or updates, in first-seen order
        Set<SharedVar> used = Collections.newSetFromMap(new IdentityHashMap<>());
        List<SharedVar> shared = new ArrayList<>();
        for (Var leaf : Graphs.leaves(graph.allResults())) if (leaf instanceof SharedVar s && used.add(s)) shared.add(s);
        for (FunctionGraph.Update u : graph.updates()) if (used.add(u.target())) shared.add(u.target());
        Map<String, NDArray> files = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < shared.size(); i++) {
            String n = shared.get(i).name() != null ? shared.get(i).name() : "shared" + i;
            taken.add(n);
        }
        for (int i = 0; i < last.size(); i++) {
            String n = fn.outputs().get(i).name();
            if (n == null || taken.contains(n)) n = "out" + i;     // a shared variable's file keeps its name
            while (taken.contains(n)) n = "_" + n;
            taken.add(n);
            files.put(n, last.get(i));
        }
        for (int i = 0; i < shared.size(); i++) {
            String n = shared.get(i).name() != null ? shared.get(i).name() : "shared" + i;
            files.put(n, shared.get(i).getValue());
        }
        for (Map.Entry<String, NDArray> e : files.entrySet()) {
            Path p = save.resolve(e.getKey() + ".npy");
            try {
                e.getValue().save(p);
            } catch (IOException ex) {
                throw CliException.failure("--save: cannot write " + p + ": " + ex.getMessage(), ex);
            }
        }
        err().println("saved " + String.join(", ", files.keySet().stream().map(n -> n + ".npy").toList()) + " in " + save);
    }
}
