package dev.tcc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The examples of the Theano lecture tcc grew from, with the values numpy gives (float32). */
class LectureExamplesTest {

    @ParameterizedTest(name = "d({0}, {1}) = {2}")
    @CsvSource({
        // x, y, d = log(c) and c, from numpy in float32
        "1.0, 2.0, 3.1048062, 22.304897",
        "0.5, 1.5, 0.0, 1.0",
        "2.0, 0.25, 6.273615, 530.3912",
        "3.0, 1.0, 39.69358, 1.7326188e+17",
    })
    void scalarChain(float x0, float y0, float d0, float c0) {
        Var x = T.scalar("x");
        Var y = T.scalar("y");
        Var z = x.add(y);
        Var w = z.mul(x);
        Var a = T.sqrt(w);
        Var b = T.exp(a);
        Var c = a.pow(b);
        Var d = T.log(c);
        Outputs out = Tcc.function(List.of(x, y), List.of(d, c)).call(x0, y0);
        assertEquals(DType.FLOAT32, out.get(0).dtype());
        // tcc rounds each float32 result correctly from double; numpy's SIMD expf/powf may be off by
        // an ulp or two, which a**b amplifies (see docs/semantics.md). d is within 4 ulps, c within 1e-5.
        assertEquals(d0, (float) out.get(0).scalar(), 4 * Math.ulp(d0));
        assertEquals(c0, (float) out.get(1).scalar(), 1e-5 * c0);
    }

    @Test
    void matrixAndVectorExamples() {
        Var x = T.matrix("x");
        Var y = T.matrix("y");
        Var a = T.vector("a");
        Var b = T.vector("b");
        Var e = T.vector("e");
        Var f = T.scalar("f");
        float[][] xv = {{1, 2}, {3, 4}};
        float[][] yv = {{5, 6}, {7, 8}};
        float[] av = {1, 2};
        float[] bv = {3, 4};
        assertArrayEquals(new float[] {19, 22, 43, 50}, Tcc.function(List.of(x, y), T.dot(x, y)).call(xv, yv).get(0).toFloatArray());
        assertArrayEquals(new float[] {5, 11}, Tcc.function(List.of(x, a), T.dot(x, a)).call(xv, av).get(0).toFloatArray());
        assertEquals(11.0, Tcc.function(List.of(a, b), T.dot(a, b)).call(av, bv).scalar());
        assertArrayEquals(new float[] {3, 8}, Tcc.function(List.of(a, b), a.mul(b)).call(av, bv).get(0).toFloatArray());
        // a scalar broadcast over a vector
        assertArrayEquals(new float[] {3.5f, 4.5f}, Tcc.function(List.of(e, f), e.add(f)).call(av, 2.5).get(0).toFloatArray());
    }

    @Test
    void functionOfTwoScalars() {
        Var x = T.scalar("x");
        Var y = T.scalar("y");
        Function f = Tcc.function(List.of(x, y), x.add(y));
        assertEquals(3.0, f.call(1.0, 2.0).scalar());
    }

    @Test
    void sharedCounterWithUpdates() {
        SharedVar state = Tcc.shared(0.0, "state");
        Var inc = T.scalar("inc");
        Function accumulator = Tcc.function("acc").inputs(inc).outputs(state).update(state, state.add(inc)).build();
        accumulator.call(1);
        assertEquals(1.0, state.getValue().scalar());
        state.setValue(100);
        accumulator.call(1);
        assertEquals(101.0, state.getValue().scalar());

        SharedVar counter = Tcc.shared(0.0, "counter");
        Function tick = Tcc.function("tick").update(counter, counter.add(1)).build();   // no inputs, no outputs
        assertEquals(0, tick.call().size());
        assertEquals(1.0, counter.getValue().scalar());
    }

    @Test
    void givensReplaceInputsBySharedValues() {
        Var x = T.scalar("x");
        Var y = T.scalar("y");
        SharedVar xs = Tcc.shared(3.0, "xs");
        SharedVar ys = Tcc.shared(4.0, "ys");
        Function f = Tcc.function("f").outputs(x.mul(y).add(x)).givens(x, xs).givens(y, ys).build();
        assertEquals(15.0, f.call().scalar());
        xs.setValue(1);
        assertEquals(5.0, f.call().scalar());
    }

    @Test
    void outputsUseValuesFromBeforeTheUpdates() {
        SharedVar xVal = Tcc.shared(5.0, "x_val");
        SharedVar other = Tcc.shared(1.0, "other");
        Function f = Tcc.function("f").outputs(xVal, xVal.mul(2))
                .update(xVal, xVal.add(other)).update(other, xVal).build();
        Outputs out = f.call();
        assertEquals(5.0, out.get(0).scalar());     // the old value, not 6
        assertEquals(10.0, out.get(1).scalar());
        assertEquals(6.0, xVal.getValue().scalar());
        assertEquals(5.0, other.getValue().scalar()); // updates read old values too
    }

    @Test
    void getAndSetValueCopy() {
        SharedVar w = Tcc.shared(NDArray.zeros(DType.FLOAT32, 2, 3), "w");
        NDArray v = w.getValue();
        v.setFlat(0, 7);
        assertEquals(0.0, w.getValue().getFlat(0));
        NDArray nv = NDArray.ones(DType.FLOAT32, 2, 3);
        w.setValue(nv);
        nv.setFlat(0, 9);
        assertEquals(1.0, w.getValue().getFlat(0));
    }
}
