package dev.tcc;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each user mistake gets a message that names the place and the fix. */
class FunctionErrorsTest {

    private static void assertMessage(Throwable t, String... parts) {
        for (String p : parts) assertTrue(t.getMessage().contains(p), () -> "message lacks '" + p + "':\n" + t.getMessage());
    }

    @Test
    void missingInputNamesTheVariableAndWhereItWasMade() {
        Var x = T.scalar("x");
        Var y = T.scalar("y");                      // line of this statement is in the message
        TccException e = assertThrows(TccException.class, () -> Tcc.function(List.of(x), x.add(y)));
        assertMessage(e, "missing input 'y'", "FunctionErrorsTest.java:", "givens(y");
    }

    @Test
    void wrongNumberOfArguments() {
        Var x = T.scalar("x");
        Var y = T.scalar("y");
        Function f = Tcc.function(List.of(x, y), x.add(y));
        TccException e = assertThrows(TccException.class, () -> f.call(1.0));
        assertMessage(e, "takes 2 arguments [x, y]", "called with 1");
    }

    @Test
    void wrongDtypeOrRankAtCallTimeNamesTheInput() {
        Var m = T.matrix("m");
        Function f = Tcc.function(List.of(m), m.sum());
        TccException dtype = assertThrows(TccException.class, () -> f.call(NDArray.zeros(DType.FLOAT64, 2, 2)));
        assertMessage(dtype, "input 'm'", "dtype float64", "float32", "astype(DType.FLOAT32)");
        TccException rank = assertThrows(TccException.class, () -> f.call(new float[] {1, 2}));
        assertMessage(rank, "input 'm'", "rank 1", "rank 2");
    }

    @Test
    void shapeThatBreaksTheGraphAtRunTime() {
        Var a = T.vector("a");
        Var b = T.vector("b");
        Function f = Tcc.function(List.of(a, b), a.add(b));
        TccException e = assertThrows(TccException.class, () -> f.call(new float[] {1, 2, 3}, new float[] {1, 2}));
        assertMessage(e, "cannot be broadcast", "(3,)", "(2,)");
    }

    @Test
    void sharedVariableAsExplicitInputSuggestsGivens() {
        SharedVar s = Tcc.shared(1.0, "s");
        TccException e = assertThrows(TccException.class, () -> Tcc.function(List.of(s), s.mul(2)));
        assertMessage(e, "shared variable 's'", "cannot be an explicit input", "givens(s");
    }

    @Test
    void twoUpdatesOfOneSharedVariable() {
        SharedVar s = Tcc.shared(1.0, "s");
        TccException e = assertThrows(TccException.class,
                () -> Tcc.function("f").update(s, s.add(1)).update(s, s.mul(2)).build());
        assertMessage(e, "two updates of shared variable 's'");
    }

    @Test
    void updateOfAnotherTypeNamesBothTypesAndSuggestsCast() {
        SharedVar s = Tcc.shared(1.0, "s");                      // float32 scalar
        Var d = T.scalar("d", DType.FLOAT64);
        TccException e = assertThrows(TccException.class, () -> Tcc.function("f").inputs(d).update(s, s.add(d)).build());
        assertMessage(e, "float32()", "float64()", "T.cast");
        SharedVar v = Tcc.shared(NDArray.zeros(DType.FLOAT32, 3), "v");
        TccException rank = assertThrows(TccException.class, () -> Tcc.function("g").update(v, v.sum()).build());
        assertMessage(rank, "float32(3)", "float32()");
    }

    @Test
    void shapeErrorsSeenWhileBuildingFailAtOnce() {
        SharedVar a = Tcc.shared(NDArray.zeros(DType.FLOAT32, 3), "a");
        SharedVar b = Tcc.shared(NDArray.zeros(DType.FLOAT32, 4), "b");
        TccException dot = assertThrows(TccException.class, () -> T.dot(a, b));
        assertMessage(dot, "not aligned", "3", "4", "FunctionErrorsTest.java:", "'a'", "'b'");
        TccException add = assertThrows(TccException.class, () -> a.add(b));
        assertMessage(add, "cannot be broadcast");
        Var m = T.matrix("m");
        TccException axis = assertThrows(TccException.class, () -> m.sum(2));
        assertMessage(axis, "axis 2 is out of range");
    }

    @Test
    void setValueRefusesAnotherShapeOrDtype() {
        SharedVar w = Tcc.shared(NDArray.zeros(DType.FLOAT32, 2, 3), "w");
        assertMessage(assertThrows(TccException.class, () -> w.setValue(NDArray.zeros(DType.FLOAT32, 3, 2))), "shape (3, 2)", "(2, 3)");
        assertMessage(assertThrows(TccException.class, () -> w.setValue(NDArray.zeros(DType.FLOAT64, 2, 3))), "dtype float64", "astype");
    }
}
