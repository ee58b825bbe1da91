package dev.tcc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.ir.TensorType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Result dtypes and broadcast shapes against tables numpy generated (scripts/gen-numpy-tables.py). */
class PromotionAndBroadcastTest {

    /** numpy results tcc has no dtype for (int8 from bool**bool, float16 from bool math). */
    private static final Set<String> NOT_IN_TCC = Set.of("int8", "float16");

    private static List<String[]> table(String name, String sep) throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                PromotionAndBroadcastTest.class.getResourceAsStream("/numpy/" + name), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) if (!line.startsWith("#")) rows.add(line.split(sep, -1));
        }
        return rows;
    }

    @Test
    void resultDtypesMatchNumpy() throws Exception {
        int checked = 0;
        for (String[] row : table("promotion.csv", ",")) {
            String op = row[0], left = row[1], right = row[2], expected = row[3];
            if (NOT_IN_TCC.contains(expected)) continue;
            Var a = T.vector("a", DType.parse(left));
            String where = op + "(" + left + ", " + right + ")";
            if (expected.equals("error")) {
                assertThrows(TccException.class, () -> apply(op, a, right), where);
            } else {
                assertEquals(DType.parse(expected), apply(op, a, right).dtype(), where);
            }
            checked++;
        }
        assertTrue(checked > 250, "checked only " + checked + " rows");
    }

    private static Var apply(String op, Var a, String right) {
        if (right.isEmpty()) {
            switch (op) {
                case "exp": return a.exp();
                case "neg": return a.neg();
                case "abs": return a.abs();
                case "sqrt": return a.sqrt();
                default: throw new AssertionError(op);
            }
        }
        Object b = right.equals("weak_int") ? (Object) 1 : right.equals("weak_float") ? (Object) 1.0 : T.vector("b", DType.parse(right));
        switch (op) {
            case "add": return b instanceof Var v ? a.add(v) : a.add((Number) b);
            case "sub": return b instanceof Var v ? a.sub(v) : a.sub((Number) b);
            case "mul": return b instanceof Var v ? a.mul(v) : a.mul((Number) b);
            case "div": return b instanceof Var v ? a.div(v) : a.div((Number) b);
            case "maximum": return b instanceof Var v ? a.maximum(v) : a.maximum((Number) b);
            case "gt": return b instanceof Var v ? a.gt(v) : a.gt((Number) b);
            case "pow": return b instanceof Var v ? a.pow(v) : a.pow((Number) b);
            case "mod": return b instanceof Var v ? a.mod(v) : a.mod((Number) b);
            default: throw new AssertionError(op);
        }
    }

    private static int[] shape(String s) {
        return s.isEmpty() ? new int[0] : Arrays.stream(s.split("x")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void staticBroadcastShapesMatchNumpy() throws Exception {
        for (String[] row : table("broadcast.csv", ";")) {
            Var a = T.constant(NDArray.zeros(DType.FLOAT32, shape(row[0])));
            Var b = T.constant(NDArray.zeros(DType.FLOAT32, shape(row[1])));
            String where = row[0] + " + " + row[1];
            if (row[2].equals("error")) {
                TccException e = assertThrows(TccException.class, () -> a.add(b), where);
                assertTrue(e.getMessage().contains("cannot be broadcast"), e.getMessage());
            } else {
                assertArrayEquals(shape(row[2]), a.add(b).type().shape(), where);
            }
        }
    }

    @Test
    void unknownSizesBroadcastOnlyWhereStaticallyOne() {
        Var m = T.matrix("m");
        Var row = T.row("r");
        assertEquals("float32(?, ?)", m.add(row).type().toString());
        Var v3 = T.constant(NDArray.zeros(DType.FLOAT32, 3));
        assertEquals("float32(?, 3)", m.add(v3).type().toString());
        assertEquals(TensorType.UNKNOWN, m.add(T.vector("v")).type().size(1));
    }
}
