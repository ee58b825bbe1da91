package dev.tcc.grad;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.T;
import dev.tcc.TccException;
import dev.tcc.Var;
import dev.tcc.interp.Interpreter;
import dev.tcc.ir.Constant;
import dev.tcc.ir.Graphs;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
import dev.tcc.ir.TensorType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Numeric gradient checking, the counterpart of Theano's {@code verify_grad}.
 *
 * <p>For a function {@code out = f(inputs)} and a point, each test draws a random projection
 * {@code p} (uniform in [0.5, 1.5), the output's shape) and checks the symbolic gradient of
 * {@code cost = sum(out * p)} against central finite differences
 * {@code (cost(x + eps·e_j) − cost(x − eps·e_j)) / 2eps}. Both run on the reference interpreter; the
 * symbolic gradient in the inputs' dtypes, the finite differences in float64 (the graph is rebuilt
 * with float64 inputs). An element fails only when both its absolute error {@code |a − n|} and its
 * relative error {@code |a − n| / (|a| + |n|)} exceed the tolerance: Theano's 1e-4 when inputs and
 * output are float64, 1e-2 when any is float32.
 *
 * <pre>{@code
 * GradCheck.verify(in -> T.dot(in.get(0), in.get(1)).sum(),
 *         List.of(rng.randn(DType.FLOAT64, 3, 4), rng.randn(DType.FLOAT64, 4, 2)), seed);
 * }</pre>
 *
 * With the functional form, the inputs get the point's dtypes and ranks; an axis of size 1 becomes
 * a broadcastable axis (static size 1), other sizes are unknown unless {@link Options#knownShapes}.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Settings; the defaults are Theano's. Immutable. */
    public record Options(int nTests, double eps, double absTol, double relTol, int maxCoordinates,
                          Set<Integer> fixedInputs, boolean knownShapes) {
        public Options {
            fixedInputs = Set.copyOf(fixedInputs);
        }

        public static Options defaults() { return new Options(2, Double.NaN, Double.NaN, Double.NaN, 0, Set.of(), false); }

        /** How many random projections to try (2). */
        public Options nTests(int n) { return new Options(n, eps, absTol, relTol, maxCoordinates, fixedInputs, knownShapes); }

        /** The finite-difference step; by default 1e-6 when the float64 graph holds no float32 value, else 1e-3. */
        public Options eps(double e) { return new Options(nTests, e, absTol, relTol, maxCoordinates, fixedInputs, knownShapes); }

        /** Absolute and relative tolerance; by default 1e-4 (all float64) or 1e-2 (any float32). */
        public Options tolerance(double abs, double rel) { return new Options(nTests, eps, abs, rel, maxCoordinates, fixedInputs, knownShapes); }

        /** Check at most this many random coordinates of each input (0: all), for big inputs. */
        public Options maxCoordinates(int k) { return new Options(nTests, eps, absTol, relTol, k, fixedInputs, knownShapes); }

        /** Inputs (by position) that are held at the point and not checked, e.g. data and targets. */
        public Options fixed(int... positions) {
            Set<Integer> s = new HashSet<>();
            for (int p : positions) s.add(p);
            return new Options(nTests, eps, absTol, relTol, maxCoordinates, s, knownShapes);
        }

        /** Functional form only: give the inputs the point's exact shapes as static shapes. */
        public Options knownShapes(boolean on) { return new Options(nTests, eps, absTol, relTol, maxCoordinates, fixedInputs, on); }
    }

    /** What a successful check measured: the worst errors over all checked coordinates. */
    public record Report(double maxAbsError, double maxRelError, int checkedCoordinates, double absTol, double relTol, long seed) {}

    /** A gradient that disagrees with finite differences (Theano's GradientError). */
    public static final class GradCheckError extends TccException {
        public GradCheckError(String message) { super(message); }
    }

    public static Report verify(java.util.function.Function<List<Var>, Var> fun, List<NDArray> point, long seed) {
        return verify(fun, point, seed, Options.defaults());
    }

    /** Builds the inputs from the point's dtypes and ranks, calls {@code fun} on them and checks its gradient. */
    public static Report verify(java.util.function.Function<List<Var>, Var> fun, List<NDArray> point, long seed, Options options) {
        List<Var> inputs = new ArrayList<>();
        for (int i = 0; i < point.size(); i++) {
            NDArray a = point.get(i);
            int[] s = a.shape();
            if (!options.knownShapes()) for (int ax = 0; ax < s.length; ax++) if (s[ax] != 1) s[ax] = TensorType.UNKNOWN;
            inputs.add(Var.input(new TensorType(a.dtype(), s), "in" + i, Site.here()));
        }
        return verify(inputs, fun.apply(inputs), point, seed, options);
    }

    /** Checks the gradient of {@code output} with respect to {@code inputs} (graph inputs) at {@code point}. */
    public static Report verify(List<Var> inputs, Var output, List<NDArray> point, long seed, Options options) {
        if (inputs.size() != point.size()) throw new TccException("GradCheck: " + inputs.size() + " inputs but "
                + point.size() + " values in the point");
        if (!output.dtype().isFloat()) throw new TccException("GradCheck: the output " + output.describe() + " is not float");
        Map<Var, NDArray> env = new IdentityHashMap<>();
        List<Integer> checked = new ArrayList<>();
        boolean anyFloat32 = output.dtype() == DType.FLOAT32;
        for (int i = 0; i < inputs.size(); i++) {
            Var v = inputs.get(i);
            NDArray a = point.get(i);
            if (!v.isInput()) throw new TccException("GradCheck: " + v.describe() + " is not a graph input");
            if (a.dtype() != v.dtype() || !v.type().accepts(a.shape())) throw new TccException("GradCheck: the value for "
                    + v.describe() + " is " + a.dtype() + TensorType.shapeString(a.shape()) + ", which does not fit its type");
            env.put(v, a);
            if (options.fixedInputs().contains(i)) continue;
            if (!v.dtype().isFloat()) throw new TccException("GradCheck: input " + i + " " + v.describe()
                    + " is not float; mark it fixed (Options.fixed(" + i + ")) to hold it at the point");
            anyFloat32 |= v.dtype() == DType.FLOAT32;
            checked.add(i);
        }
        double absTol = !Double.isNaN(options.absTol()) ? options.absTol() : anyFloat32 ? 1e-2 : 1e-4;
        double relTol = !Double.isNaN(options.relTol()) ? options.relTol() : anyFloat32 ? 1e-2 : 1e-4;

        // The same function with float64 inputs, for the finite differences.
        Map<Var, Var> to64 = new IdentityHashMap<>();
        List<Var> inputs64 = new ArrayList<>();
        for (Var v : inputs) {
            Var v64 = v.dtype().isFloat() && v.dtype() != DType.FLOAT64
                    ? Var.input(v.type().withDtype(DType.FLOAT64), v.name(), v.site()) : v;
            if (v64 != v) to64.put(v, v64);
            inputs64.add(v64);
        }
        Var output64 = to64.isEmpty() ? output : Graphs.replace(List.of(output), to64).get(0);
        double eps = options.eps();
        if (Double.isNaN(eps)) {
            boolean f32 = output64.dtype() == DType.FLOAT32;
            for (Node n : Graphs.toposort(List.of(output64))) for (Var o : n.outputs()) f32 |= o.dtype() == DType.FLOAT32;
            eps = f32 ? 1e-3 : 1e-6;
        }
        Map<Var, NDArray> env64 = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++)
            env64.put(inputs64.get(i), inputs64.get(i).dtype() == DType.FLOAT64 ? point.get(i).astype(DType.FLOAT64) : point.get(i));

        int[] outShape = Interpreter.evaluate(output, env).shape();
        SplittableRandom rng = new SplittableRandom(seed);
        double worstAbs = 0, worstRel = 0;
        int count = 0;
        for (int t = 0; t < options.nTests(); t++) {
            NDArray proj = NDArray.zeros(output.dtype(), outShape);
            for (int j = 0; j < proj.size(); j++) proj.setFlat(j, 0.5 + rng.nextDouble());
            Var cost = T.sum(T.mul(output, new Constant(proj, Site.here())));
            Var cost64 = T.sum(T.mul(output64, new Constant(proj.astype(DType.FLOAT64), Site.here())));
            List<Var> wrt = new ArrayList<>();
            for (int i : checked) wrt.add(inputs.get(i));
            List<NDArray> analytic = Interpreter.evaluate(Gradients.grad(cost, wrt, GradOptions.zeroIfDisconnected()), env);
            List<Node> order64 = Graphs.toposort(List.of(cost64));
            for (int c = 0; c < checked.size(); c++) {
                int i = checked.get(c);
                NDArray x = env64.get(inputs64.get(i)).copy();
                env64.put(inputs64.get(i), x);
                NDArray a = analytic.get(c);
                for (int j : coordinates(x.size(), options.maxCoordinates(), rng)) {
                    double orig = x.getFlat(j);
                    x.setFlat(j, orig + eps);
                    double plus = Interpreter.evaluate(List.of(cost64), env64, order64).get(0).scalar();
                    x.setFlat(j, orig - eps);
                    double minus = Interpreter.evaluate(List.of(cost64), env64, order64).get(0).scalar();
                    x.setFlat(j, orig);
                    double numeric = (plus - minus) / (2 * eps);
                    double analyticJ = a.getFlat(j);
                    double abs = Math.abs(analyticJ - numeric);
                    double rel = abs / Math.max(Math.abs(analyticJ) + Math.abs(numeric), 1e-8);
                    if (Double.isNaN(abs)) abs = rel = Double.POSITIVE_INFINITY;
                    if (abs > absTol && rel > relTol) {
                        throw new GradCheckError("GradCheck failed (seed " + seed + ", test " + t + "): gradient of "
                                + output.describe() + " with respect to input " + i + " " + inputs.get(i).describe()
                                + " at index " + index(j, x.shape()) + ": symbolic " + analyticJ + ", finite differences " + numeric
                                + " (eps " + eps + "); abs error " + abs + " > " + absTol + " and rel error " + rel + " > " + relTol
                                + "; point value there: " + point.get(i).getFlat(j));
                    }
                    worstAbs = Math.max(worstAbs, abs);
                    worstRel = Math.max(worstRel, rel);
                    count++;
                }
            }
        }
        return new Report(worstAbs, worstRel, count, absTol, relTol, seed);
    }

    private static int[] coordinates(int size, int max, SplittableRandom rng) {
        if (max <= 0 || max >= size) {
            int[] all = new int[size];
            for (int j = 0; j < size; j++) all[j] = j;
            return all;
        }
        Set<Integer> picked = new java.util.LinkedHashSet<>();
        while (picked.size() < max) picked.add(rng.nextInt(size));
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String index(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int ax = shape.length - 1; ax >= 0; ax--) {
            idx[ax] = flat % shape[ax];
            flat /= shape[ax];
        }
        return java.util.Arrays.toString(idx);
    }
}
