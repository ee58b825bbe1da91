package dev.tcc.backend.cuda;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.T;
import dev.tcc.Var;
import dev.tcc.testing.Differential;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op on the CUDA backend against the reference interpreter, on random inputs in float32 and
 * float64 (and the integer and bool dtypes where the op takes them). Run on a GPU by
 * {@link CudaOpsGpuTest} and on the CPU emulator by {@link CudaOpsEmulatedTest}.
 */
abstract class CudaOpsCases {
    final Differential d = new Differential(dev.tcc.Backend.CUDA);

    record Unary(String name, UnaryOperator<Var> op, double lo, double hi) {
        @Override public String toString() { return name; }
    }

    static Stream<Arguments> unary() {
        List<Unary> ops = List.of(
                new Unary("neg", T::neg, -3, 3), new Unary("abs", T::abs, -3, 3), new Unary("sign", T::sign, -3, 3),
                new Unary("exp", T::exp, -5, 5), new Unary("log", T::log, 0.01, 10), new Unary("log1p", T::log1p, -0.5, 5),
                new Unary("expm1", T::expm1, -3, 3), new Unary("sqrt", T::sqrt, 0, 10), new Unary("sqr", T::sqr, -3, 3),
                new Unary("sin", T::sin, -6, 6), new Unary("cos", T::cos, -6, 6), new Unary("tanh", T::tanh, -4, 4),
                new Unary("sigmoid", T::sigmoid, -8, 8), new Unary("softplus", T::softplus, -20, 20),
                new Unary("relu", T::relu, -3, 3), new Unary("floor", T::floor, -3, 3), new Unary("ceil", T::ceil, -3, 3),
                new Unary("round", T::round, -3, 3));
        List<Arguments> out = new ArrayList<>();
        for (Unary u : ops) for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) out.add(Arguments.of(u, dt));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unary")
    void unaryOps(Unary u, DType dt) {
        Var x = T.matrix("x", dt);
        d.check(u.name(), List.of(x), List.of(u.op().apply(x)), List.of(d.uniform(dt, u.lo(), u.hi(), 37, 129)));
    }

    record Binary(String name, BinaryOperator<Var> op, double lo, double hi) {
        @Override public String toString() { return name; }
    }

    static Stream<Arguments> binary() {
        List<Binary> ops = List.of(
                new Binary("add", T::add, -3, 3), new Binary("sub", T::sub, -3, 3), new Binary("mul", T::mul, -3, 3),
                new Binary("div", T::div, 0.5, 3), new Binary("mod", T::mod, 0.5, 5), new Binary("pow", T::pow, 0.1, 3),
                new Binary("maximum", T::maximum, -3, 3), new Binary("minimum", T::minimum, -3, 3),
                new Binary("gt", T::gt, -2, 2), new Binary("ge", T::ge, -2, 2), new Binary("lt", T::lt, -2, 2),
                new Binary("le", T::le, -2, 2), new Binary("eq", (a, b) -> T.eq(T.round(a), T.round(b)), -2, 2),
                new Binary("neq", (a, b) -> T.neq(T.round(a), T.round(b)), -2, 2));
        List<Arguments> out = new ArrayList<>();
        for (Binary b : ops) for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) out.add(Arguments.of(b, dt));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binary")
    void binaryOpsWithBroadcasting(Binary b, DType dt) {
        Var x = T.matrix("x", dt);
        Var y = T.matrix("y", dt);
        Var row = T.row("row");
        Var r = dt == DType.FLOAT32 ? row : T.tensor("row", dt, new int[] {1, -1});
        NDArray xv = d.uniform(dt, b.lo(), b.hi(), 33, 65), yv = d.uniform(dt, b.lo(), b.hi(), 33, 65);
        NDArray rv = d.uniform(dt, b.lo(), b.hi(), 1, 65);
        d.check(b.name(), List.of(x, y, r), List.of(b.op().apply(x, y), b.op().apply(x, r), b.op().apply(r, x)), List.of(xv, yv, rv));
    }

    @Test void integerAndBoolOps() {
        Var i = T.vector("i", DType.INT32);
        Var j = T.vector("j", DType.INT64);
        Var p = T.vector("p", DType.BOOL);
        Var q = T.vector("q", DType.BOOL);
        d.check("ints", List.of(i, j, p, q),
                List.of(i.add(j), i.mul(3), T.mod(j, 7), T.maximum(i, j), i.gt(j), T.and(p, q), T.or(p, q), T.not(p),
                        T.where(p, i, j), T.cast(i, DType.FLOAT32), T.cast(T.cast(j, DType.FLOAT64), DType.INT32), T.abs(i)),
                List.of(d.uniform(DType.INT32, -100, 100, 257), d.uniform(DType.INT64, -100, 100, 257),
                        d.uniform(DType.BOOL, 0, 1, 257), d.uniform(DType.BOOL, 0, 1, 257)));
    }

    @Test void whereClipAndCasts() {
        Var x = T.matrix("x");
        d.check("where", List.of(x), List.of(T.where(x.gt(0), x, x.mul(0.1)), T.clip(x, -0.5, 0.5), T.cast(x, DType.FLOAT64),
                T.cast(x.mul(10), DType.INT32), T.cast(x, DType.BOOL)), List.of(d.uniform(DType.FLOAT32, -2, 2, 17, 31)));
    }

    @Test void fusedChains() {
        Var x = T.matrix("x");
        Var y = T.vector("y");
        Var e = T.tanh(x.mul(2).add(y)).mul(T.exp(x.neg())).sub(T.sigmoid(x.sqr())).div(x.abs().add(1));
        d.check("chain", List.of(x, y), List.of(e), List.of(d.uniform(DType.FLOAT32, -2, 2, 300, 257),
                d.uniform(DType.FLOAT32, -2, 2, 257)));
    }

    @Test void reductions() {
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            Var x = T.tensor3("x", dt);
            NDArray xv = d.uniform(dt, 0.5, 1.5, 7, 33, 129);
            List<Var> outs = new ArrayList<>();
            outs.add(x.sum());
            outs.add(T.mean(x));
            outs.add(T.max(x));
            outs.add(T.min(x));
            for (int ax = 0; ax < 3; ax++) {
                outs.add(T.sum(x, ax));
                outs.add(T.mean(x, new int[] {ax}, true));
                outs.add(T.max(x, ax));
                outs.add(T.min(x, ax));
                outs.add(T.prod(x, new int[] {ax}, false));
                outs.add(T.argmax(x, ax));
                outs.add(T.argmin(x, ax));
            }
            outs.add(T.sum(x, 0, 2));
            outs.add(T.argmax(x));
            Differential.Tol[] tol = new Differential.Tol[outs.size()];
            for (int k = 0; k < tol.length; k++) tol[k] = dt == DType.FLOAT32 ? new Differential.Tol(1e-4, 1e-5) : null;
            d.check("reductions " + dt, List.of(x), outs, List.of(xv), tol);
        }
    }

    /**
     * Column reductions with enough outputs for the {@code _cols} entry (ReduceStep.COLUMN_OUTPUTS):
     * every kind, a fused prologue, two leading axes, an integer source, and NaNs (max and argmax
     * must return the first NaN, as on one thread).
     */
    @Test void manyOutputColumnReductions() {
        Var x = T.matrix("x"), z = T.tensor3("z"), i = T.matrix("i", DType.INT32);
        NDArray xv = d.uniform(DType.FLOAT32, 0.5, 1.5, 19, 4133);
        for (int[] at : new int[][] {{3, 7}, {11, 7}, {4, 4100}, {17, 4100}}) xv.setFlat(at[0] * 4133 + at[1], Double.NaN);
        NDArray zv = d.uniform(DType.FLOAT32, -1, 1, 2, 3, 4200), iv = d.uniform(DType.INT32, -50, 50, 9, 4099);
        Differential.Tol t = new Differential.Tol(1e-5, 1e-5);
        d.check("column reductions", List.of(x, z, i),
                List.of(T.sum(x, 0), T.mean(x, new int[] {0}, true), T.max(x, 0), T.min(x, 0), T.prod(x, new int[] {0}, false),
                        T.argmax(x, 0), T.argmin(x, 0), T.sum(T.exp(x).mul(2), 0), T.sum(z, 0, 1), T.argmax(z, 0),
                        T.sum(i, 0), T.max(i, 0), T.argmin(i, 0)),
                List.of(xv, zv, iv), t, t, t, t, t, null, null, t, t, null, null, null, null);
    }

    @Test void largeReductionsOverEveryElement() {
        Var x = T.vector("x");
        NDArray xv = d.uniform(DType.FLOAT32, -1, 1, 3_000_017);
        d.check("big sum", List.of(x), List.of(x.sum(), T.max(x), T.argmin(x)), List.of(xv),
                new Differential.Tol(1e-4, 1e-2), null, null);
    }

    /**
     * Arrays big enough for the elementwise kernel's unrolled rounds (ElementwiseStep.UNROLL elements
     * a thread, loaded before any is stored) and its plain tail: broadcast operands, two outputs,
     * and an update written in place over the array it reads.
     */
    @Test void largeElementwiseKernels() {
        Var x = T.matrix("x"), y = T.vector("y");
        NDArray xv = d.uniform(DType.FLOAT32, -2, 2, 1111, 1113), yv = d.uniform(DType.FLOAT32, -1, 1, 1113);
        d.check("big elementwise", List.of(x, y), List.of(T.tanh(x).mul(0.5).add(y), T.gt(x, y), T.exp(x.T()).sub(1)),
                List.of(xv, yv));
        NDArray start = d.uniform(DType.FLOAT32, -1, 1, 1_234_567), xs = d.uniform(DType.FLOAT32, -2, 2, 1_234_567);
        List<NDArray> after = new ArrayList<>();
        for (dev.tcc.Backend b : List.of(dev.tcc.Backend.CUDA, dev.tcc.Backend.INTERP)) {
            dev.tcc.SharedVar sy = dev.tcc.Tcc.shared(start.copy(), "y"), sx = dev.tcc.Tcc.shared(xs, "x");
            var f = dev.tcc.Tcc.function("axpy_tanh").update(sy, sy.mul(0.9).add(T.tanh(sx).mul(0.5))).backend(b).build();
            f.call();
            f.call();
            after.add(sy.getValue());
        }
        d.assertClose("in-place update", after.get(1), after.get(0), new Differential.Tol(1e-5, 1e-6));
    }

    @Test void matrixProducts() {
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            Var a = T.matrix("a", dt), b = T.matrix("b", dt), v = T.vector("v", dt), u = T.vector("u", dt);
            Var w = T.vector("w", dt), s = T.tensor3("s", dt);
            int m = 131, k = 257, n = 67;
            NDArray av = d.uniform(dt, -1, 1, m, k), bv = d.uniform(dt, -1, 1, k, n), vv = d.uniform(dt, -1, 1, k);
            NDArray uv = d.uniform(dt, -1, 1, m), wv = d.uniform(dt, -1, 1, n), sv = d.uniform(dt, -1, 1, 3, n, k);
            double kTol = dt == DType.FLOAT32 ? 1e-6 * k : 1e-13 * k;
            Differential.Tol t = Differential.Tol.of(dt).plusAtol(kTol);
            // matrix-vector products read the matrix along rows (a·v, w·bᵀ, v·v) or across (u·a, aᵀ·u)
            d.check("dot " + dt, List.of(a, b, v, u, w, s),
                    List.of(T.dot(a, b), T.dot(a, v), T.dot(v, v), T.dot(u, a), T.dot(a.T(), u), T.dot(b.T(), a.T()),
                            T.dot(w, b.T()), T.sigmoid(T.dot(a, v).add(u)), T.tanh(T.dot(a.T(), u)).mul(v),
                            T.outer(u, v), T.matmul(s, b.dimshuffle("x", 0, 1)), T.sigmoid(T.dot(a, b).add(1))),
                    List.of(av, bv, vv, uv, wv, sv), t, t, t, t, t, t, t, t, t, t, t, t);
        }
    }

    /** Integer products accumulate in int64 (wrapping like numpy), in the tile and matrix-vector kernels. */
    @Test void integerProducts() {
        for (DType dt : List.of(DType.INT32, DType.INT64)) {
            Var a = T.matrix("a", dt), b = T.matrix("b", dt), v = T.vector("v", dt);
            NDArray av = d.uniform(dt, -10, 10, 45, 70), bv = d.uniform(dt, -10, 10, 70, 33), vv = d.uniform(dt, -10, 10, 70);
            d.check("integer dot " + dt, List.of(a, b, v), List.of(T.dot(a, b), T.dot(a, v), T.dot(a.T(), T.dot(a, v)), T.dot(v, b)),
                    List.of(av, bv, vv));
        }
    }

    /**
     * Products with enough tiles for the 128×128 GEMM entry (GemmStep.BIG_TILES), plain, transposed
     * and batched, and for the 64×64 one (matrixProducts' small ones take the 32×32 entry).
     */
    @Test void bigMatrixProducts() {
        Var a = T.matrix("a"), b = T.matrix("b"), s = T.tensor3("s"), r = T.tensor3("r");
        int m = 2049, k = 19, n = 2047;
        NDArray av = d.uniform(DType.FLOAT32, -1, 1, m, k), bv = d.uniform(DType.FLOAT32, -1, 1, k, n);
        NDArray sv = d.uniform(DType.FLOAT32, -1, 1, 300, 5, 9), rv = d.uniform(DType.FLOAT32, -1, 1, 300, 9, 7);
        Differential.Tol t = Differential.Tol.of(DType.FLOAT32).plusAtol(1e-6 * k);
        d.check("big dot", List.of(a, b, s, r),
                List.of(T.dot(a, b), T.relu(T.dot(b.T(), a.T())), T.matmul(s, r), T.matmul(r.dimshuffle(0, 2, 1), s.dimshuffle(0, 2, 1))),
                List.of(av, bv, sv, rv), t, t, t, t);
        // 130 products of one 64×64 tile each: enough for the 64×64 entry (GemmStep.SMALL_TILES), too few for 128
        Var p = T.tensor3("p"), q = T.tensor3("q");
        NDArray pv = d.uniform(DType.FLOAT32, -1, 1, 130, 40, 21), qv = d.uniform(DType.FLOAT32, -1, 1, 130, 21, 61);
        d.check("batched dot", List.of(p, q), List.of(T.matmul(p, q), T.exp(T.matmul(q.dimshuffle(0, 2, 1), p.dimshuffle(0, 2, 1)))),
                List.of(pv, qv), t, t);
    }

    @Test void shapeOps() {
        Var x = T.tensor3("x");
        Var y = T.tensor3("y");
        NDArray xv = d.uniform(DType.FLOAT32, -1, 1, 4, 5, 6), yv = d.uniform(DType.FLOAT32, -1, 1, 4, 3, 6);
        d.check("shapes", List.of(x, y),
                List.of(T.transpose(x), T.transpose(x, 1, 0, 2), x.dimshuffle(2, "x", 0, 1), T.reshape(x, 20, 6), T.flatten(x),
                        T.flatten(x, 2), T.concatenate(List.of(x, y), 1), T.transpose(x).add(1).mul(T.transpose(x))),
                List.of(xv, yv));
    }

    @Test void softmaxAndLogSoftmax() {
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            Var x = T.matrix("x", dt);
            d.check("softmax " + dt, List.of(x), List.of(T.softmax(x), T.logSoftmax(x), T.softmax(x, 0)),
                    List.of(d.uniform(dt, -10, 10, 45, 1000)));
        }
    }

    @Test void gradients() {
        Var x = T.matrix("x");
        Var w = T.matrix("w");
        Var cost = T.sum(T.tanh(T.dot(x, w)).sqr()).add(T.softmax(T.dot(x, w)).max());
        d.check("grad", List.of(x, w), T.grad(cost, x, w),
                List.of(d.uniform(DType.FLOAT32, -1, 1, 20, 30), d.uniform(DType.FLOAT32, -1, 1, 30, 10)),
                new Differential.Tol(1e-4, 1e-5), new Differential.Tol(1e-4, 1e-5));
    }

    @Test void shapesMayChangeBetweenCalls() {
        Var x = T.matrix("x");
        var f = dev.tcc.Tcc.function("f").inputs(x).outputs(T.exp(x).sum(1)).backend(dev.tcc.Backend.CUDA).build();
        var g = dev.tcc.Tcc.function("f").inputs(x).outputs(T.exp(x).sum(1)).backend(dev.tcc.Backend.INTERP).build();
        for (int[] s : new int[][] {{3, 4}, {100, 7}, {1, 1}, {3, 4}, {0, 5}}) {
            d.compare("shape " + java.util.Arrays.toString(s), f, g, List.of(d.uniform(DType.FLOAT32, -1, 1, s)),
                    new Differential.Tol(1e-5, 1e-5));
        }
    }
}
