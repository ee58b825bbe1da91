package dev.tcc.codegen.program;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.TccException;
import dev.tcc.ops.ReduceKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Program model on its own: a hand-built program, its shape rules, launch parameters and JSON. */
class ProgramModelTest {

    /** y = sum(x * b, axis 1) with x (?, ?) input and b a (1, ?) row; then out = y + c (c a constant vector). */
    static Program handBuilt() {
        List<InputInfo> inputs = List.of(new InputInfo("x", DType.FLOAT32, List.of(-1, -1), "A.java:1"),
                new InputInfo("b", DType.FLOAT32, List.of(1, -1), "A.java:2"));
        ConstantData c = ConstantData.of(NDArray.of(new float[] {1, 2, 3}));
        List<Buffer> buffers = List.of(
                new Buffer(0, Buffer.Kind.INPUT, "x", DType.FLOAT32, 0, null),
                new Buffer(1, Buffer.Kind.INPUT, "b", DType.FLOAT32, 1, null),
                new Buffer(2, Buffer.Kind.CONSTANT, "c", DType.FLOAT32, -1, c),
                new Buffer(3, Buffer.Kind.TEMP, "tmp0", null, -1, null),
                new Buffer(4, Buffer.Kind.OUTPUT, "out0", DType.FLOAT32, 0, null));
        List<Value> values = List.of(
                new Value(0, "x", DType.FLOAT32, List.of(-1, -1), new ShapeRule.Input(0), 0, true, "A.java:1"),
                new Value(1, "b", DType.FLOAT32, List.of(1, -1), new ShapeRule.Input(1), 1, true, "A.java:2"),
                new Value(2, "c", DType.FLOAT32, List.of(3), new ShapeRule.Fixed(List.of(3)), 2, true, "A.java:3"),
                new Value(3, "xb", DType.FLOAT32, List.of(-1, -1), new ShapeRule.Broadcast(List.of(0, 1), 2), -1, true, "A.java:4"),
                new Value(4, "y", DType.FLOAT32, List.of(-1), new ShapeRule.Reduced(3, ReduceKind.SUM, List.of(1), false), 3, true, "A.java:5"),
                new Value(5, "out", DType.FLOAT32, List.of(3), new ShapeRule.Broadcast(List.of(4, 2), 1), 4, true, "A.java:6"));
        List<Step> steps = List.of(
                new ReduceStep("p_k0_reduce", true, ReduceKind.SUM, List.of(1), false, 3, List.of(0, 1),
                        List.of(Access.CONTIGUOUS, Access.STRIDED), 4, "sum of mul"),
                new ElementwiseStep("p_k1_elem", false, List.of(4, 2), List.of(Access.CONTIGUOUS, Access.CONTIGUOUS),
                        List.of(5), "add"));
        return new Program(Program.FORMAT_VERSION, "p", false, inputs, List.of(), buffers, values, steps, List.of(5), List.of(),
                new Sources("// cuda", "// c", List.of("--fmad=false"), List.of("-O3")));
    }

    @Test
    void jsonRoundTripIsEqual() {
        Program p = handBuilt();
        String json = p.toJson();
        Program back = Program.fromJson(json);
        assertEquals(p, back);
        assertEquals(json, back.toJson());
        assertTrue(json.contains("\"kind\" : \"reduce\""), json);
        assertTrue(json.contains("\"rule\" : \"broadcast\""), json);
        assertEquals(NDArray.of(new float[] {1, 2, 3}), back.buffer(2).data().toNDArray());
    }

    @Test
    void shapesParamsAndBufferSizes() {
        Program p = handBuilt();
        Shapes s = p.shapes(List.of(new int[] {3, 5}, new int[] {1, 5}));
        assertArrayEquals(new int[] {3, 5}, s.of(3));
        assertArrayEquals(new int[] {3}, s.of(4));
        ReduceStep r = (ReduceStep) p.steps().get(0);
        // outSize, redSize, source shape, strides of b over (3,5): row broadcast
        assertArrayEquals(new long[] {3, 5, 3, 5, 0, 1}, r.params(p, s));
        assertEquals(List.of(4, 0, 1), r.args());
        assertEquals(12, p.bufferBytes(3, s));
        assertArrayEquals(new long[] {3}, p.steps().get(1).params(p, s));
        assertEquals("p_k0_reduce", r.cudaEntry(p, s));
        assertEquals(32, r.launch(p, s).blockX());
    }

    @Test
    void shapeErrorsNameTheVariable() {
        Program p = handBuilt();
        TccException e = assertThrows(TccException.class, () -> p.shapes(List.of(new int[] {3, 5}, new int[] {2, 5})));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        e = assertThrows(TccException.class, () -> p.shapes(List.of(new int[] {4, 5}, new int[] {1, 5})));
        assertTrue(e.getMessage().contains("A.java:6"), e.getMessage());
    }
}
