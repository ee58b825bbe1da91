package dev.tcc.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tcc.Backend;
import dev.tcc.DType;
import dev.tcc.Function;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.T;
import dev.tcc.Tcc;
import dev.tcc.Var;
import dev.tcc.ir.Site;
import dev.tcc.testing.Differential;
import dev.tcc.testing.Differential.Tol;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every op on the CPU backend against the reference interpreter, on random inputs (see
 * {@link Differential} for seeds and tolerances): elementwise ops of every dtype with
 * broadcasting, reductions over each axis, matrix products in all forms, shape ops, softmax, the
 * lecture's examples, updates, and shapes that change between calls. Many ops share one function
 * (one output each) so that the suite compiles few libraries.
 */
class CpuDifferentialTest {
    @BeforeAll
    static void needsCompiler() {
        assumeTrue(CpuBackend.available(), "no working C compiler: " + CpuBackend.unavailableReason());
    }

    private final Differential d = new Differential(Backend.CPU);

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void unaryFloatOps(DType dt) {
        Var x = T.matrix("x", dt), p = T.matrix("p", dt);       // p > 0 for log, sqrt, ...
        List<Var> outs = List.of(x.neg(), x.abs(), x.sign(), x.sqr(), x.relu(), T.floor(x), T.ceil(x), T.round(x),
                x.exp(), x.tanh(), x.sigmoid(), x.softplus(), x.sin(), x.cos(), x.expm1(),
                p.log(), p.log1p(), p.sqrt(), x.mul(4).sigmoid(), x.mul(30).softplus());
        int[] s = d.shape(2);
        NDArray xv = d.uniform(dt, -4, 4, s);
        xv.setFlat(0, 2.5);                                       // round half to even
        if (xv.size() > 1) xv.setFlat(1, -0.5);
        d.check("unary " + dt, List.of(x, p), outs, List.of(xv, d.uniform(dt, 0.01, 5, s)));
    }

    @Test
    void ranksZeroOneAndThreeAndOddSizes() {
        Var s = T.scalar("s"), v = T.vector("v"), t = T.tensor3("t");
        List<Var> outs = List.of(s.exp(), v.sigmoid().add(s), t.mul(v).sub(s), t.tanh(), s.mul(s).add(1));
        int n = d.size();
        d.check("ranks", List.of(s, v, t), outs,
                List.of(d.normal(DType.FLOAT32), d.normal(DType.FLOAT32, n), d.normal(DType.FLOAT32, d.size(), d.size(), n)));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void binaryFloatOpsWithBroadcasting(DType dt) {
        Var a = T.matrix("a", dt), v = T.vector("v", dt), s = T.scalar("s", dt);
        Var col = T.tensor("col", dt, new int[] {-1, 1});
        Var pos = a.abs().add(0.5);
        List<Var> outs = List.of(a.add(v), a.sub(col), a.mul(s), v.div(a), a.mod(v.abs().add(0.25)), pos.pow(v),
                T.maximum(a, col), T.minimum(v, a), a.gt(v), a.ge(col), a.lt(s), a.le(v), a.eq(a.mul(1)), a.neq(v),
                T.where(a.gt(0), a, v), T.clip(a, -1.0, 1.5), a.add(2.5).mul(v).sub(col.div(3)).sigmoid());
        int[] sh = d.shape(2);
        NDArray av = d.normal(dt, sh);
        NDArray vv = d.normal(dt, sh[1]);
        NDArray colv = d.normal(dt, sh[0], 1);
        d.check("binary " + dt, List.of(a, v, col, s), outs, List.of(av, vv, colv, d.normal(dt)));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"INT32", "INT64"})
    void integerOps(DType dt) {
        Var a = T.matrix("a", dt), b = T.vector("b", dt), nz = T.vector("nz", dt);
        List<Var> outs = List.of(a.add(b), a.sub(b), a.mul(b), a.mod(nz), a.mod(b), a.div(nz), T.maximum(a, b), T.minimum(a, 3),
                a.neg(), a.abs(), a.sign(), a.sqr(), a.gt(b), a.eq(b), a.le(0), a.pow(2), T.where(a.gt(b), a, b),
                T.clip(a, -5, 7), T.cast(a, DType.FLOAT32), a.exp().mul(0), a.add(b).mul(a).sub(7).mod(5));
        int[] sh = d.shape(2);
        NDArray nzv = d.uniform(dt, 1, 9, sh[1]);
        for (int i = 0; i < nzv.size(); i++) if (i % 2 == 1) nzv.setLongFlat(i, -nzv.getLongFlat(i));
        d.check("integer " + dt, List.of(a, b, nz), outs, List.of(d.uniform(dt, -50, 50, sh), d.uniform(dt, -3, 3, sh[1]), nzv));
    }

    @Test
    void boolLogicCastsAndPromotion() {
        Var p = T.vector("p", DType.BOOL), q = T.vector("q", DType.BOOL);
        Var i = T.vector("i", DType.INT32), f = T.vector("f", DType.FLOAT32), g = T.vector("g", DType.FLOAT64);
        List<Var> outs = List.of(p.and(q), p.or(q), p.not(), T.cast(p, DType.FLOAT32), T.cast(f, DType.INT32),
                T.cast(f, DType.BOOL), T.cast(g, DType.FLOAT32), T.cast(i, DType.INT64), i.add(f), i.div(i.abs().add(1)),
                f.add(g), T.sum(p), p.add(p), T.where(p, f, 0.5), T.cast(f.mul(1000), DType.INT64));
        int n = d.size() + 4;
        d.check("bool and casts", List.of(p, q, i, f, g), outs, List.of(d.uniform(DType.BOOL, 0, 1, n), d.uniform(DType.BOOL, 0, 1, n),
                d.uniform(DType.INT32, -100, 100, n), d.normal(DType.FLOAT32, n), d.normal(DType.FLOAT64, n)));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64", "INT32"})
    void reductionsOverEachAxis(DType dt) {
        Var t = T.tensor3("t", dt);
        List<Var> outs = new ArrayList<>();
        for (int ax = 0; ax < 3; ax++) {
            outs.add(T.sum(t, ax));
            outs.add(T.mean(t, ax));
            outs.add(T.max(t, ax));
            outs.add(T.min(t, new int[] {ax}, true));
            outs.add(T.argmax(t, ax));
            outs.add(T.argmin(t, ax));
            if (dt.isFloat()) outs.add(T.prod(t.mul(0.5).exp(), ax));
        }
        outs.add(T.sum(t));
        outs.add(T.mean(t, new int[] {0, 2}, false));
        outs.add(T.max(t, new int[] {1, 2}, true));
        outs.add(T.argmax(t));
        outs.add(T.sum(t, new int[] {0, 1, 2}, true));
        int[] sh = {d.size(), 1 + d.rng.nextInt(4) * 2, d.size()};
        NDArray tv = dt.isFloat() ? d.normal(dt, sh) : d.uniform(dt, -20, 20, sh);
        Tol[] tol = new Tol[outs.size()];
        if (dt == DType.FLOAT32) for (int k = 0; k < tol.length; k++) tol[k] = Tol.of(dt).plusAtol(1e-6 * tv.size());
        d.check("reductions " + dt, List.of(t), outs, List.of(tv), tol);
    }

    /** Leading axes reduced, at least TCC_COL_BLOCK (64) outputs: the C kernel's column-block path. */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64", "INT32"})
    void columnReductionsOverLeadingAxes(DType dt) {
        Var m = T.matrix("m", dt), t = T.tensor3("t", dt);
        List<Var> outs = new ArrayList<>(List.of(T.sum(m, 0), T.mean(m, 0), T.max(m, 0), T.min(m, new int[] {0}, true),
                T.argmax(m, 0), T.argmin(m, 0), T.sum(t, 0), T.max(t, new int[] {0, 1}, false), T.sum(m.mul(m), 0)));
        if (dt.isFloat()) outs.add(T.prod(m.mul(0.25).exp(), 0));
        int[] shm = {d.size(), 64 + d.rng.nextInt(200)};
        int[] sht = {d.size(), 3 + d.rng.nextInt(5), 64 + d.rng.nextInt(40)};
        NDArray mv = dt.isFloat() ? d.normal(dt, shm) : d.uniform(dt, -20, 20, shm);
        NDArray tv = dt.isFloat() ? d.normal(dt, sht) : d.uniform(dt, -20, 20, sht);
        if (dt.isFloat()) mv.setFlat(Math.min(1, shm[0] - 1) * shm[1] + 7, Double.NaN);   // a NaN in column 7: max/min/argmax/argmin propagate it
        Tol[] tol = new Tol[outs.size()];
        if (dt == DType.FLOAT32) for (int k = 0; k < tol.length; k++) tol[k] = Tol.of(dt).plusAtol(1e-6 * mv.size());
        d.check("column reductions " + dt, List.of(m, t), outs, List.of(mv, tv), tol);
    }

    @Test
    void reductionsWithFusedPrologueAndEpilogue() {
        Var x = T.matrix("x"), y = T.matrix("y");
        List<Var> outs = List.of(T.sum(x.exp().mul(y), 1), T.mean(x.sub(y).sqr()), T.max(x.add(y), 0).sigmoid(),
                T.sum(x, 0).div(T.sum(y.abs(), 0).add(1)), T.sum(x.T(), 1), T.prod(x.gt(0), 0));
        int[] sh = d.shape(2);
        d.check("reduce prologue", List.of(x, y), outs, List.of(d.normal(DType.FLOAT32, sh), d.normal(DType.FLOAT32, sh)),
                new Tol[] {Tol.of(DType.FLOAT32).plusAtol(1e-5 * sh[1]), null, null, null, null, null});
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void matrixProductsInEveryForm(DType dt) {
        Var a = T.matrix("a", dt), b = T.matrix("b", dt), u = T.vector("u", dt), w = T.vector("w", dt), bias = T.vector("bias", dt);
        int m = d.size(), k = d.size() + 2, n = d.size();
        List<Var> outs = List.of(T.dot(a, b), T.dot(a, u), T.dot(w, b), T.dot(u, u), T.dot(b.T(), a.T()),
                T.dot(a.T().T(), b).add(bias).sigmoid(), T.dot(a, b).mul(2).sub(T.dot(a, b).relu()),
                T.outer(w, bias), T.dot(T.dot(a, b).tanh(), T.dot(b.T(), u)));
        NDArray av = d.normal(dt, m, k), bv = d.normal(dt, k, n);
        double scale = 1e-6 * k * 3 * 3 * 3;
        Tol[] tol = new Tol[outs.size()];
        if (dt == DType.FLOAT32) for (int i = 0; i < tol.length; i++) tol[i] = Tol.of(dt).plusAtol(scale * (i == 8 ? n : 1));
        d.check("dot " + dt, List.of(a, b, u, w, bias), outs,
                List.of(av, bv, d.normal(dt, k), d.normal(dt, k), d.normal(dt, n)), tol);
    }

    @Test
    void integerAndMixedProductsAndBatchedMatmul() {
        Var a = T.matrix("a", DType.INT32), b = T.matrix("b", DType.INT32), f = T.matrix("f");
        Var s = T.tensor3("s"), r = T.tensor3("r");
        int m = d.size(), k = d.size(), n = d.size(), batch = 1 + d.rng.nextInt(3);
        List<Var> outs = List.of(T.dot(a, b), T.dot(a, f), T.matmul(s, r), T.matmul(s, r).sigmoid());
        NDArray sv = d.normal(DType.FLOAT32, batch, m, k), rv = d.normal(DType.FLOAT32, batch, k, n);
        Tol t32 = Tol.of(DType.FLOAT32).plusAtol(1e-6 * k * 9);
        d.check("int and batched dot", List.of(a, b, f, s, r), outs,
                List.of(d.uniform(DType.INT32, -9, 9, m, k), d.uniform(DType.INT32, -9, 9, k, n), d.normal(DType.FLOAT32, k, n), sv, rv),
                new Tol[] {null, new Tol(1e-12, 1e-9), t32, t32});
    }

    @Test
    void shapeOps() {
        Var x = T.matrix("x"), t = T.tensor3("t"), v = T.vector("v");
        List<Var> outs = List.of(x.T().add(1), T.transpose(t, 2, 0, 1).mul(2), T.dimshuffle(v, "x", 0).add(x),
                T.reshape(t, -1).exp(), T.flatten(t, 2).sigmoid(), T.concatenate(List.of(x, x.mul(2)), 0),
                T.concatenate(List.of(x, x.neg(), x.T().T()), 1), T.reshape(x.T(), -1), T.dimshuffle(x, 1, "x", 0).tanh());
        int m = d.size(), n = d.size();
        d.check("shapes", List.of(x, t, v), outs, List.of(d.normal(DType.FLOAT32, m, n),
                d.normal(DType.FLOAT32, d.size(), d.size(), d.size()), d.normal(DType.FLOAT32, n)));
    }

    @Test
    void softmaxAlongEachAxis() {
        Var x = T.matrix("x"), t = T.tensor3("t");
        List<Var> outs = List.of(T.softmax(x), T.softmax(x, 0), T.logSoftmax(x), T.softmax(t, 1), T.logSoftmax(t, 0),
                T.softmax(x.mul(50)), T.sum(T.softmax(x).mul(x), 1));
        d.check("softmax", List.of(x, t), outs, List.of(d.normal(DType.FLOAT32, d.shape(2)), d.normal(DType.FLOAT32, d.shape(3))));
    }

    @Test
    void lectureScalarChainAndExamples() {
        Var x = T.scalar("x"), y = T.scalar("y");
        Var a = T.sqrt(x.add(y).mul(x));
        Var c = a.pow(T.exp(a));
        Var dd = T.log(c);
        d.check("lecture chain", List.of(x, y), List.of(dd, c), List.of(NDArray.scalar(DType.FLOAT32, 1), NDArray.scalar(DType.FLOAT32, 2)),
                new Tol[] {new Tol(4e-6, 0), new Tol(1e-5, 0)});
        // the same chain elementwise over a vector (the benchmark's expression)
        Var xs = T.vector("xs"), ys = T.vector("ys");
        Var as = T.sqrt(xs.add(ys).mul(xs));
        int n = 1001 + d.rng.nextInt(100);
        d.check("lecture chain over vectors", List.of(xs, ys), List.of(T.log(as.pow(T.exp(as)))),
                List.of(d.uniform(DType.FLOAT32, 0.1, 1, n), d.uniform(DType.FLOAT32, 0.1, 1, n)), new Tol[] {new Tol(1e-5, 1e-6)});
        // logistic regression prediction from the lecture: sigmoid(x·w + b) > 0.5
        Var m = T.matrix("m"), w = T.vector("w"), b = T.scalar("b");
        Var p = T.sigmoid(T.dot(m, w).add(b));
        d.check("logistic", List.of(m, w, b), List.of(p, p.gt(0.5)),
                List.of(d.normal(DType.FLOAT32, 13, 7), d.normal(DType.FLOAT32, 7), d.normal(DType.FLOAT32)),
                new Tol[] {Tol.of(DType.FLOAT32).plusAtol(1e-5), null});
    }

    @Test
    void shapesChangeBetweenCallsWithoutRebuilding() {
        Var x = T.matrix("x"), v = T.vector("v");
        List<Var> outs = List.of(x.mul(v).exp(), T.sum(x, 0), T.dot(x, v));
        Function cpu = Tcc.function("shapes").inputs(x, v).outputs(outs).backend(Backend.CPU).build();
        Function ref = Tcc.function("shapes").inputs(x, v).outputs(outs).backend(Backend.INTERP).build();
        for (int call = 0; call < 5; call++) {
            int m = call == 3 ? 0 : d.size(), n = d.size();      // one call with an empty batch
            List<NDArray> args = List.of(d.normal(DType.FLOAT32, m, n), d.normal(DType.FLOAT32, n));
            d.compare("call " + call + " with shape " + m + "x" + n, cpu, ref, args,
                    null, null, Tol.of(DType.FLOAT32).plusAtol(1e-5 * n));
        }
    }

    @Test
    void updatesMatchTheInterpreterOverManyCalls() {
        NDArray w0 = d.normal(DType.FLOAT32, 5, 3), b0 = d.normal(DType.FLOAT32, 3);
        List<NDArray> xs = new ArrayList<>();
        for (int i = 0; i < 6; i++) xs.add(d.normal(DType.FLOAT32, 4, 5));
        NDArray[] cpu = trainLayer(Backend.CPU, w0, b0, xs);
        NDArray[] ref = trainLayer(Backend.INTERP, w0, b0, xs);
        Tol tol = new Tol(1e-5, 1e-5);
        d.assertClose("w after updates", ref[0], cpu[0], tol);
        d.assertClose("b after updates", ref[1], cpu[1], tol);
        d.assertClose("counter", ref[2], cpu[2], tol);
        d.assertClose("last output", ref[3], cpu[3], tol);
    }

    /** A layer with updates of several kinds: w (read by the output first), b, a counter with no reads. */
    private static NDArray[] trainLayer(Backend backend, NDArray w0, NDArray b0, List<NDArray> xs) {
        SharedVar w = new SharedVar(w0, "w", Site.here()), b = new SharedVar(b0, "b", Site.here());
        SharedVar count = Tcc.shared(0.0, "count");
        Var x = T.matrix("x");
        Var h = T.tanh(T.dot(x, w).add(b));
        Var loss = T.mean(h.sqr());
        Function f = Tcc.function("layer").inputs(x).outputs(h, loss)
                .update(w, w.sub(T.dot(x.T(), h).mul(0.01)))
                .update(b, b.sub(T.sum(h, 0).mul(0.01)).add(w.sum(0).mul(0.001)))
                .update(count, count.add(1))
                .backend(backend).build();
        NDArray last = null;
        for (NDArray xv : xs) last = f.call(xv).get(0);
        return new NDArray[] {w.getValue(), b.getValue(), count.getValue(), last};
    }
}
