package dev.tcc.grad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.T;
import dev.tcc.TccException;
import dev.tcc.Var;
import dev.tcc.interp.Interpreter;
import dev.tcc.ir.Graphs;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
import dev.tcc.ir.TensorType;
import dev.tcc.ops.Elemwise;
import dev.tcc.ops.ScalarOp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** T.grad's API: values, options, errors by message, types and sites of the gradients. */
class GradApiTest {
    static double eval(Var v, Var x, double value) {
        return Interpreter.evaluate(v, Map.of(x, NDArray.scalar(x.dtype(), value))).scalar();
    }

    @Test
    void lectureExample() {
        // y = -log(3x^2 + 5x); dy/dx = -(6x + 5) / (3x^2 + 5x) = -1.375 at x = 1
        Var x = T.scalar("x");
        Var y = T.neg(T.log(T.sqr(x).mul(3).add(x.mul(5))));
        Var g = T.grad(y, x);
        assertEquals(DType.FLOAT32, g.dtype());
        assertEquals(0, g.ndim());
        assertEquals(-1.375, eval(g, x, 1));
        assertEquals(-(6 * 2.0 + 5) / (3 * 4.0 + 10), eval(g, x, 2), 1e-6);
    }

    @Test
    void contributionsOfSeveralConsumersAreSummed() {
        Var x = T.scalar("x", DType.FLOAT64);
        Var g = T.grad(x.mul(x).add(T.sin(x)).add(x), x);
        assertEquals(2 * 0.7 + Math.cos(0.7) + 1, eval(g, x, 0.7), 1e-15);
        assertEquals(1.0, eval(T.grad(x, x), x, 3));
    }

    @Test
    void severalWrtInOrder() {
        Var a = T.scalar("a", DType.FLOAT64);
        Var b = T.scalar("b", DType.FLOAT64);
        Var c = T.scalar("c", DType.FLOAT64);
        Var cost = a.mul(b).mul(c.sqr());
        List<Var> g = T.grad(cost, c, a, b);
        Map<Var, NDArray> env = Map.of(a, NDArray.scalar(2), b, NDArray.scalar(3), c, NDArray.scalar(5));
        List<NDArray> v = Interpreter.evaluate(g, env);
        assertEquals(2 * 2 * 3 * 5, v.get(0).scalar());
        assertEquals(3 * 25, v.get(1).scalar());
        assertEquals(2 * 25, v.get(2).scalar());
        assertEquals(3, T.grad(cost, List.of(a, b, c)).size());
        TccException e = assertThrows(TccException.class, () -> T.grad(cost, a, null));
        assertTrue(e.getMessage().contains("a variable to differentiate with respect to is null"), e.getMessage());
    }

    @Test
    void gradientWithRespectToAnIntermediate() {
        Var x = T.vector("x", DType.FLOAT64);
        Var h = x.mul(3);
        Var g = T.grad(h.sqr().sum(), h);
        assertArrayEquals(new double[] {6, 12}, Interpreter.evaluate(g, Map.of(x, NDArray.of(new double[] {1, 2}))).toDoubleArray());
    }

    @Test
    void gradientsHaveTheTypeOfTheirVariable() {
        SharedVar w = new SharedVar(NDArray.ones(DType.FLOAT32, 1, 3), "w", Site.here());   // a broadcastable row
        SharedVar b = new SharedVar(NDArray.ones(DType.FLOAT32, 3), "b", Site.here());
        SharedVar s = new SharedVar(NDArray.scalar(DType.FLOAT32, 2), "s", Site.here());
        Var m = T.matrix("m");
        Var x64 = T.matrix("x64", DType.FLOAT64);
        Var cost = T.sum(m.add(w).add(b).mul(s).mul(x64));                    // float64 cost
        List<Var> g = T.grad(cost, w, b, s, m);
        assertEquals(w.type(), g.get(0).type());
        assertEquals(b.type(), g.get(1).type());
        assertEquals(s.type(), g.get(2).type());
        assertEquals(new TensorType(DType.FLOAT32, -1, 3), g.get(3).type());    // as precise as the graph knows
        NDArray mv = NDArray.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        NDArray xv = NDArray.of(new double[][] {{1, 1, 1}, {2, 2, 2}});
        List<NDArray> v = Interpreter.evaluate(g, Map.of(m, mv, x64, xv));
        assertArrayEquals(new float[] {6, 6, 6}, v.get(0).toFloatArray());
        assertArrayEquals(new float[] {6, 6, 6}, v.get(1).toFloatArray());
        assertEquals((3 + 4 + 5) + 2 * (6 + 7 + 8), v.get(2).scalar(), 1e-5);            // sum((m + w + b) * x)
    }

    @Test
    void castGradientGoesBackToTheInputDtype() {
        Var x = T.vector("x", DType.FLOAT64);
        Var y = T.cast(x, DType.FLOAT32).sqr().sum();
        Var g = T.grad(y, x);
        assertEquals(DType.FLOAT64, g.dtype());
        assertArrayEquals(new double[] {2, -4}, Interpreter.evaluate(g, Map.of(x, NDArray.of(new double[] {1, -2}))).toDoubleArray());
        Var i = T.cast(x, DType.INT32);                                    // through an integer: zero
        Var gi = T.grad(T.cast(i, DType.FLOAT64).sum().add(x.sum()), x);
        assertArrayEquals(new double[] {1, 1}, Interpreter.evaluate(gi, Map.of(x, NDArray.of(new double[] {1.5, -2}))).toDoubleArray());
    }

    @Test
    void piecewiseConstantOpsHaveZeroGradient() {
        Var x = T.vector("x", DType.FLOAT64);
        List<Var> parts = List.of(T.sign(x), T.floor(x), T.ceil(x), T.round(x), T.cast(x.gt(0), DType.FLOAT64),
                T.cast(x.le(0.5).and(x.neq(2)), DType.FLOAT64), T.cast(T.argmax(x), DType.FLOAT64), T.cast(x.not(), DType.FLOAT64));
        for (Var p : parts) {
            Var g = T.grad(p.sum(), x);
            assertArrayEquals(new double[] {0, 0, 0}, Interpreter.evaluate(g, Map.of(x, NDArray.of(new double[] {1.3, -0.4, 2.7})))
                    .toDoubleArray(), 0, p.toString());
        }
    }

    @Test
    void maximumAndMinimumSplitTies() {
        Var a = T.vector("a", DType.FLOAT64);
        Var b = T.vector("b", DType.FLOAT64);
        List<Var> g = T.grad(T.maximum(a, b).sum().add(T.minimum(a, b).mul(3).sum()), a, b);
        Map<Var, NDArray> env = Map.of(a, NDArray.of(new double[] {1, 2, 3}), b, NDArray.of(new double[] {2, 2, 1}));
        List<NDArray> v = Interpreter.evaluate(g, env);
        assertArrayEquals(new double[] {3, 2, 1}, v.get(0).toDoubleArray());
        assertArrayEquals(new double[] {1, 2, 3}, v.get(1).toDoubleArray());
        Var r = T.grad(T.relu(a).sum().add(T.abs(a).sum()), a);
        assertArrayEquals(new double[] {0, 2}, Interpreter.evaluate(r, Map.of(a, NDArray.of(new double[] {0, 1}))).toDoubleArray());
    }

    @Test
    void powInBothArguments() {
        Var x = T.scalar("x", DType.FLOAT64);
        Var y = T.scalar("y", DType.FLOAT64);
        List<Var> g = T.grad(T.pow(x, y), x, y);
        Map<Var, NDArray> env = Map.of(x, NDArray.scalar(2), y, NDArray.scalar(3));
        List<NDArray> v = Interpreter.evaluate(g, env);
        assertEquals(12, v.get(0).scalar(), 1e-12);
        assertEquals(8 * Math.log(2), v.get(1).scalar(), 1e-12);
        env = Map.of(x, NDArray.scalar(0), y, NDArray.scalar(2));      // 0^y: the exponent's gradient is 0, not NaN
        v = Interpreter.evaluate(g, env);
        assertEquals(0, v.get(0).scalar());
        assertEquals(0, v.get(1).scalar());
    }

    @Test
    void gradOfGrad() {
        Var x = T.scalar("x", DType.FLOAT64);
        Var f = x.mul(x).mul(x);
        Var g = T.grad(f, x);
        Var gg = T.grad(g, x);
        Var ggg = T.grad(gg, x);
        assertEquals(12, eval(g, x, 2), 1e-12);
        assertEquals(12, eval(gg, x, 2), 1e-12);
        assertEquals(6, eval(ggg, x, 2), 1e-12);
        Var s = T.scalar("s", DType.FLOAT64);
        Var h = T.sigmoid(s);
        Var dh = T.grad(T.grad(h, s), s);                               // s''(x) = s(1-s)(1-2s)
        double sv = 1 / (1 + Math.exp(-0.3));
        assertEquals(sv * (1 - sv) * (1 - 2 * sv), eval(dh, s, 0.3), 1e-12);
    }

    @Test
    void stopGradientKeepsItsInputConnectedWithZeroGradient() {
        Var x = T.vector("x", DType.FLOAT64);
        Var g = T.grad(T.stopGradient(x).mul(x).sum(), x);              // d/dx sum(c * x) with c = x held constant
        NDArray xv = NDArray.of(new double[] {2, -3});
        assertArrayEquals(new double[] {2, -3}, Interpreter.evaluate(g, Map.of(x, xv)).toDoubleArray());
        Var z = T.grad(T.stopGradient(x).sum(), x);                      // connected, zero; no error
        assertArrayEquals(new double[] {0, 0}, Interpreter.evaluate(z, Map.of(x, xv)).toDoubleArray());
    }

    @Test
    void considerConstant() {
        Var x = T.vector("x", DType.FLOAT64);
        Var h = x.mul(2).named("h");
        GradOptions opt = GradOptions.defaults().considerConstant(h);
        Var g = T.grad(h.mul(x).sum(), List.of(x), opt).get(0);
        NDArray xv = NDArray.of(new double[] {2, -3});
        assertArrayEquals(new double[] {4, -6}, Interpreter.evaluate(g, Map.of(x, xv)).toDoubleArray());
        TccException e = assertThrows(TccException.class, () -> T.grad(h.sum(), List.of(x), opt));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("held constant"), e.getMessage());
    }

    @Test
    void disconnectedRaisesNamingTheVariableAndItsSite() {
        Var x = T.vector("x");
        Var unused = T.vector("unused"); int line = new Throwable().getStackTrace()[0].getLineNumber();
        Var cost = x.sum().named("cost");
        TccException e = assertThrows(TccException.class, () -> T.grad(cost, x, unused));
        String m = e.getMessage();
        assertTrue(m.contains("'unused' float32(?) made at GradApiTest.java:" + line), m);
        assertTrue(m.contains("not part of the computation of 'cost'"), m);
        assertTrue(m.startsWith("GradApiTest.java:"), m);                // the T.grad call site
        assertTrue(m.contains("GradOptions.zeroIfDisconnected()"), m);
        // with ZERO: zeros of the variable's shape
        List<Var> g = T.grad(cost, List.of(x, unused), GradOptions.zeroIfDisconnected());
        NDArray u = Interpreter.evaluate(g.get(1), Map.of(x, NDArray.of(new float[] {1}), unused, NDArray.of(new float[] {5, 6})));
        assertArrayEquals(new float[] {0, 0}, u.toFloatArray());
    }

    @Test
    void nonScalarCostIsAnError() {
        Var x = T.vector("x");
        Var y = x.sqr().named("y");
        TccException e = assertThrows(TccException.class, () -> T.grad(y, x));
        String m = e.getMessage();
        assertTrue(m.contains("the cost must be a scalar (0-d), but 'y' float32(?)"), m);
        assertTrue(m.contains("has rank 1") && m.contains("sum()") && m.contains("T.jacobian"), m);
    }

    @Test
    void integerWrtIsAnError() {
        Var i = T.vector("i", DType.INT64);
        Var cost = T.cast(i, DType.FLOAT32).sum();
        TccException e = assertThrows(TccException.class, () -> T.grad(cost, i));
        String m = e.getMessage();
        assertTrue(m.contains("cannot differentiate with respect to 'i' int64(?)"), m);
        assertTrue(m.contains("only float (float32/float64) variables have gradients"), m);
        Var bcost = T.cast(T.vector("v").gt(0), DType.INT64).sum();
        TccException e2 = assertThrows(TccException.class, () -> T.grad(bcost, i));
        assertTrue(e2.getMessage().contains("the cost must have a float dtype"), e2.getMessage());
    }

    @Test
    void gradientNodesTakeTheForwardSite() {
        Var x = T.vector("x", DType.FLOAT64);
        Var y = T.log(x); int line = new Throwable().getStackTrace()[0].getLineNumber();
        Var cost = y.sum();
        Var g = T.grad(cost, x);
        boolean found = false;
        for (Node n : Graphs.toposort(List.of(g))) {
            if (n.op() instanceof Elemwise e && e.scalar() == ScalarOp.DIV) {           // log's rule: g / x
                assertEquals(new Site("GradApiTest.java", line, 0), n.site());
                found = true;
            }
        }
        assertTrue(found);
    }

    @Test
    void hessianOfAQuadraticFormEqualsItsMatrix() {
        double[][] a = {{2, 0.5, -1}, {0.5, 3, 0.25}, {-1, 0.25, 1.5}};
        Var x = T.tensor("x", DType.FLOAT64, new int[] {3});
        Var cost = T.dot(x, T.dot(T.constant(NDArray.of(a)), x)).mul(0.5);
        Var h = T.hessian(cost, x);
        assertEquals(new TensorType(DType.FLOAT64, 3, 3), h.type());
        NDArray hv = Interpreter.evaluate(h, Map.of(x, NDArray.of(new double[] {0.3, -1.2, 2})));
        assertArrayEquals(NDArray.of(a).toDoubleArray(), hv.toDoubleArray(), 1e-12);
        // a non-symmetric matrix M: the Hessian of x'Mx is M + M'
        double[][] m = {{1, 2}, {0, 4}};
        Var y = T.tensor("y", DType.FLOAT64, new int[] {2});
        Var hy = T.hessian(T.dot(y, T.dot(T.constant(NDArray.of(m)), y)), y);
        assertArrayEquals(new double[] {2, 2, 2, 8}, Interpreter.evaluate(hy, Map.of(y, NDArray.of(new double[] {5, 7}))).toDoubleArray(), 1e-12);
        // a linear cost: zero Hessian, not a disconnected error
        Var hl = T.hessian(y.mul(3).sum(), y);
        assertArrayEquals(new double[] {0, 0, 0, 0}, Interpreter.evaluate(hl, Map.of(y, NDArray.of(new double[] {5, 7}))).toDoubleArray());
    }

    @Test
    void hessianOfAMatrixVariable() {
        Var w = T.tensor("w", DType.FLOAT64, new int[] {2, 2});
        Var h = T.hessian(w.mul(w).mul(w).sum(), w);                      // diagonal 6w
        assertEquals(new TensorType(DType.FLOAT64, 2, 2, 2, 2), h.type());
        double[] wv = {1, -2, 3, 0.5};
        double[] hv = Interpreter.evaluate(h, Map.of(w, NDArray.fromFlat(DType.FLOAT64, new int[] {2, 2}, wv))).toDoubleArray();
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) assertEquals(i == j ? 6 * wv[i] : 0, hv[i * 4 + j], 1e-12);
    }

    @Test
    void jacobian() {
        double[][] a = {{1, 2, 3}, {4, 5, 6}};
        Var x = T.tensor("x", DType.FLOAT64, new int[] {3});
        Var y = T.dot(T.constant(NDArray.of(a)), x).add(T.sin(x).sum());        // y_i = (Ax)_i + sum sin x
        Var j = T.jacobian(y, x);
        assertEquals(new TensorType(DType.FLOAT64, 2, 3), j.type());
        double[] xv = {0.1, 0.2, 0.3};
        double[] jv = Interpreter.evaluate(j, Map.of(x, NDArray.of(xv))).toDoubleArray();
        for (int i = 0; i < 2; i++) for (int k = 0; k < 3; k++) assertEquals(a[i][k] + Math.cos(xv[k]), jv[i * 3 + k], 1e-12);
        // a matrix y: J[i, j, k] = d(x_i x_j)/dx_k
        Var o = T.jacobian(T.outer(x, x), x);
        assertEquals(new TensorType(DType.FLOAT64, 3, 3, 3), o.type());
        double[] ov = Interpreter.evaluate(o, Map.of(x, NDArray.of(xv))).toDoubleArray();
        for (int i = 0; i < 3; i++) for (int jj = 0; jj < 3; jj++) for (int k = 0; k < 3; k++)
            assertEquals((i == k ? xv[jj] : 0) + (jj == k ? xv[i] : 0), ov[(i * 3 + jj) * 3 + k], 1e-12);
        // a scalar y is the gradient
        assertEquals(x.type(), T.jacobian(x.sum(), x).type());
    }

    @Test
    void jacobianAndHessianNeedKnownShapes() {
        Var x = T.vector("x", DType.FLOAT64);
        TccException e = assertThrows(TccException.class, () -> T.hessian(x.sqr().sum(), x));
        assertTrue(e.getMessage().contains("T.hessian needs the static shape of x to be known"), e.getMessage());
        TccException e2 = assertThrows(TccException.class, () -> T.jacobian(x.sqr(), x));
        assertTrue(e2.getMessage().contains("T.jacobian needs the static shape of y to be known"), e2.getMessage());
    }

    @Test
    void reshapeOfUnknownSizesUsesReshapeLike() {
        Var m = T.matrix("m", DType.FLOAT64);
        Var g = T.grad(m.reshape(-1).sqr().sum().add(m.flatten().sum()), m);
        assertEquals(m.type(), g.type());
        NDArray mv = NDArray.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        NDArray gv = Interpreter.evaluate(g, Map.of(m, mv));
        assertArrayEquals(new int[] {2, 3}, gv.shape());
        assertArrayEquals(new double[] {3, 5, 7, 9, 11, 13}, gv.toDoubleArray());
        boolean usesReshapeLike = Graphs.toposort(List.of(g)).stream().anyMatch(n -> n.op() instanceof dev.tcc.ops.ReshapeLike);
        assertTrue(usesReshapeLike);
    }
}
