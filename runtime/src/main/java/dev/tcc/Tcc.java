package dev.tcc;

import dev.tcc.ir.Site;
import java.util.List;

/** Entry point: functions, shared variables and configuration, like {@code theano.function}/{@code theano.shared}. */
public final class Tcc {
    private Tcc() {}

    public static Config config() { return Config.get(); }

    /** Like {@code theano.function(inputs, output)}. */
    public static Function function(List<Var> inputs, Var output) {
        return new FunctionBuilder(null).inputs(inputs).outputs(output).build();
    }

    /** Like {@code theano.function(inputs, outputs)}. */
    public static Function function(List<Var> inputs, List<Var> outputs) {
        return new FunctionBuilder(null).inputs(inputs).outputs(outputs).build();
    }

    /** A builder for a function with updates, givens or a chosen backend. */
    public static FunctionBuilder function(String name) { return new FunctionBuilder(name); }

    public static SharedVar shared(NDArray value, String name) { return new SharedVar(value, name, Site.here()); }

    public static SharedVar shared(NDArray value) { return new SharedVar(value, null, Site.here()); }

    /** A floatX scalar shared variable. */
    public static SharedVar shared(double value, String name) {
        return new SharedVar(NDArray.scalar(Config.get().floatX(), value), name, Site.here());
    }

    public static SharedVar shared(double value) { return shared(value, null); }
}
