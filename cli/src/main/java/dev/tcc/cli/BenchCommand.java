package dev.tcc.cli;

import dev.tcc.Backend;
import dev.tcc.Function;
import dev.tcc.NDArray;
import dev.tcc.TccException;
import dev.tcc.ir.Graphs;
import dev.tcc.lang.FunctionSpec;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times calls of a function of a .graph file.",
                "Prints median, min and max per call. Updates are applied on every call, as in training."},
        footer = {"", "Example:",
                "  tcc bench samples/mlp/mlp.graph --fn train --steps 20 --arg 'x=random(0).randn(400, 784)' \\",
                "      --arg 'y=random(0).randint(0, 2, 400).astype(float32)'"})
final class BenchCommand extends GraphCommand {
    @Mixin CallOptions call;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "20", description = "Timed calls (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "Untimed calls first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Override protected int execute() {
        if (steps < 1) throw CliException.usage("--steps must be at least 1, got " + steps);
        if (warmup < 0) throw CliException.usage("--warmup must not be negative, got " + warmup);
        FunctionSpec fn = function(call.fn);
        List<NDArray> args = Arguments.parse(fn, call.args, parser);
        long c0 = System.nanoTime();
        Function f = build(fn, call.backend);
        double buildSeconds = (System.nanoTime() - c0) / 1e9;
        double[] times = new double[steps];
        for (int i = -warmup; i < steps; i++) {
            long t0 = System.nanoTime();
            try {
                f.call(args.toArray()).close();      // done with the outputs: the next call reuses their memory
            } catch (TccException e) {
                throw placed(e, "call of function '" + fn.name() + "' failed");
            }
            if (i >= 0) times[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(times);
        double median = steps % 2 == 1 ? times[steps / 2] : (times[steps / 2 - 1] + times[steps / 2]) / 2;
        Backend b = f.backend();
        out().println("function '" + fn.name() + "' on " + b.name().toLowerCase() + ": " + steps + " timed call" + (steps == 1 ? "" : "s")
                + " after " + warmup + " warm-up call" + (warmup == 1 ? "" : "s") + " (built in " + Printing.time(buildSeconds) + ")");
        out().println("per call: median " + Printing.time(median) + ", min " + Printing.time(times[0]) + ", max " + Printing.time(times[steps - 1]));
        int kernels = Compilation.of(this, fn, false).program().steps().size();
        if (b == Backend.INTERP) {
            int ops = Graphs.toposort(f.graph().allResults()).size();
            out().println("kernels per call: none on interp, which evaluates the unoptimized graph op by op (" + ops + " op"
                    + (ops == 1 ? "" : "s") + " per call); compiled, a call is " + kernels + " kernel" + (kernels == 1 ? "" : "s"));
        } else {
            out().println("kernels per call: " + kernels + " (the steps of the compiled Program)");
        }
        return 0;
    }
}
