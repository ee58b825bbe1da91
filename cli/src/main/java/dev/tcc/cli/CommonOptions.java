package dev.tcc.cli;

import dev.tcc.Config;
import dev.tcc.DType;
import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
    @Option(names = "--debug", description = "With an error, also print the Java stack trace.")
    boolean debug;

    @Option(names = "--floatx", paramLabel = "DTYPE", converter = DTypeConverter.class,
            description = "dtype of scalar(\"x\"), vector(...), matrix(...), randn and shared(number): float32 (default) or float64.")
    DType floatX;

    @Option(names = "--fast-math", description = "Generate code with fast math (not IEEE); off by default.")
    boolean fastMath;

    private boolean oldFastMath;

    /** Applies the options to the process-wide configuration; returns what to restore. */
    DType apply() {
        DType old = Config.get().floatX();
        oldFastMath = Config.get().fastMath();
        if (fastMath) Config.get().fastMath(true);
        if (floatX != null) {
            if (!floatX.isFloat()) throw CliException.usage("--floatx must be float32 or float64, not " + floatX);
            Config.get().floatX(floatX);
        }
        return old;
    }

    void restore(DType floatX) {
        Config.get().floatX(floatX);
        Config.get().fastMath(oldFastMath);
    }
}
