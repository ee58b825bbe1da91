package dev.tcc.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.Var;
import dev.tcc.interp.Interpreter;
import dev.tcc.ir.Constant;
import dev.tcc.ir.FunctionGraph;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphParserTest {
    private final GraphParser parser = new GraphParser();

    private GraphProgram parse(String src) { return parser.parse("t.graph", src, null); }

    private static List<NDArray> call(FunctionGraph g, NDArray... args) {
        Map<Var, NDArray> env = new IdentityHashMap<>();
        for (int i = 0; i < args.length; i++) env.put(g.inputs().get(i), args[i]);
        return Interpreter.evaluate(g.outputs(), env);
    }

    private GraphError error(String src) { return assertThrows(GraphError.class, () -> parse(src)); }

    @Test
    void scalarSampleComputesTheChain() {
        GraphProgram p = parser.parse(Path.of("../samples/scalar/scalar.graph"));
        FunctionGraph g = p.function("chain").graph();
        List<NDArray> out = call(g, NDArray.scalar(DType.FLOAT32, 1), NDArray.scalar(DType.FLOAT32, 2));
        assertEquals(3.0, out.get(0).scalar());
        assertEquals(3.1048062, out.get(1).scalar(), 1e-5);
        Var d = p.var("d");
        assertEquals("d", d.name());
        assertTrue(d.site().toString().endsWith("scalar.graph:10:9"), d.site().toString());
    }

    @Test
    void declarationsNameTheirVariablesAndOperatorsRecordTheirColumn() {
        GraphProgram p = parse("var x = vector(\"x\");\nvar y = x  *  2;\nvar z = (y + 1).named(\"zz\");\n");
        Var y = p.var("y");
        assertEquals("y", y.name());
        assertEquals("t.graph:2:12", y.site().toString());
        assertEquals("zz", p.var("z").name());
        assertEquals("x", p.var("x").name());
    }

    @Test
    void numberLiteralsAreWeakScalars() {
        GraphProgram p = parse("var x = vector(\"x\", int32);\nvar a = x + 1;\nvar b = x + 1.0;\nvar c = -2 * 3;\nvar d = 1 / 2;\nvar e = 7 % -3;");
        assertEquals(DType.INT32, p.var("a").dtype());
        assertEquals(DType.FLOAT64, p.var("b").dtype());
        assertEquals(-6, p.variables().get("c"));
        assertEquals(0.5, p.variables().get("d"));
        assertEquals(-2, p.variables().get("e"));
    }

    @Test
    void operatorsAndMethodsMapToTheOps() {
        GraphProgram p = parse(String.join("\n",
                "var m = matrix(\"m\");",
                "var v = vector(\"v\");",
                "var s = m.sum(0) + m.T().mean(1) - m.T.max(0);",
                "var c = v > 0.5 && !(v < 0.1) ? v : 0;",
                "var k = cast(m, float64).sum(0, true);",
                "var t = T.sigmoid(dot(m, v));",
                "function(\"f\").inputs(m, v).outputs(s, c, k, t);"));
        FunctionGraph g = p.function("f").graph();
        assertEquals(DType.FLOAT32, p.var("s").dtype());
        assertEquals(2, p.var("k").ndim());
        assertEquals(DType.FLOAT64, p.var("k").dtype());
        List<NDArray> out = call(g, NDArray.of(new float[][] {{1, 2}, {3, 4}}), NDArray.of(new float[] {0.7f, 0.05f}));
        assertEquals("[0.7 0. ]", out.get(1).toString());
    }

    @Test
    void hostHelpersMakeArrays() {
        GraphProgram p = parse(String.join("\n",
                "var r = random(3);",
                "var a = r.randn(2, 3);",
                "var i = r.randint(0, 2, 5).astype(float32);",
                "var z = zeros(4);",
                "var o = ones(int32, 2, 2);",
                "var v = array(1, 2, 3, 4).reshape(2, 2);",
                "var w = shared(a, \"w\");"));
        assertEquals(DType.FLOAT32, ((NDArray) p.variables().get("a")).dtype());
        assertEquals(DType.FLOAT32, ((NDArray) p.variables().get("i")).dtype());
        assertEquals("[[1. 2.]\n [3. 4.]]", p.variables().get("v").toString());
        SharedVar w = (SharedVar) p.var("w");
        assertEquals(1, p.sharedVariables().size());
        assertEquals("t.graph:7:9", w.site().toString());
    }

    @Test
    void sharedSampleHasUpdatesAndGivens() {
        GraphProgram p = parser.parse(Path.of("../samples/shared/shared.graph"));
        FunctionSpec acc = p.function("accumulate");
        assertEquals(1, acc.updates().size());
        FunctionSpec skip = p.function("skip_shared");
        assertEquals(7.0, call(skip.graph(), NDArray.scalar(DType.FLOAT32, 1), NDArray.scalar(DType.FLOAT32, 3)).get(0).scalar());
        assertInstanceOf(Var.class, skip.givens().values().iterator().next());
    }

    @Test
    void evaluateHostExpressions() {
        Object v = parser.evaluate("--arg x", "random(0).randn(4, 3)", null);
        assertEquals("(4, 3)", NDArray.shapeString(((NDArray) v).shape()));
        assertEquals(-1.5, parser.evaluate("--arg y", "-1.5", null));
        GraphError e = assertThrows(GraphError.class, () -> parser.evaluate("--arg x", "random(0).randn(4, 3", null));
        assertEquals(1, e.line());
    }

    // ---- errors -----------------------------------------------------------------------------------

    @Test
    void unknownFunctionSuggestsTheNearest() {
        GraphError e = error("var x = vector(\"x\");\nvar y = sigmod(x);");
        assertEquals("t.graph:2:9", e.place());
        assertTrue(e.detail().contains("did you mean 'sigmoid'"), e.detail());
        assertTrue(e.getMessage().contains("var y = sigmod(x);\n        ^~~~~~"), e.getMessage());
    }

    @Test
    void misspelledVariable() {
        GraphError e = error("var w1 = vector(\"w1\");\nvar y = w2 + 1;");
        assertEquals("t.graph:2:9", e.place());
        assertTrue(e.detail().contains("did you mean 'w1'"), e.detail());
    }

    @Test
    void dotShapeMismatchPointsAtTheCall() {
        GraphError e = error("var a = shared(zeros(3, 4), \"a\");\nvar b = shared(zeros(5), \"b\");\nvar c = 1 + dot(a, b);");
        assertEquals("t.graph:3:13", e.place());
        assertTrue(e.detail().startsWith("dot: shapes (3, 4) and (5,) are not aligned"), e.detail());
    }

    @Test
    void missingSemicolonIsReportedAfterThePreviousToken() {
        GraphError e = error("var x = vector(\"x\")\nvar y = x;");
        assertEquals("t.graph:1:20", e.place());
        assertTrue(e.detail().startsWith("missing ';'"), e.detail());
    }

    @Test
    void wrongArgumentKindPointsAtTheArgument() {
        GraphError e = error("var x = vector(\"x\");\nvar y = dot(x, 3);");
        assertEquals("t.graph:2:16", e.place());
        assertTrue(e.detail().startsWith("argument 2 of dot (b) must be a tensor, got int 3"), e.detail());
    }

    @Test
    void updateTypeMismatchPointsAtTheValue() {
        GraphError e = error("var s = shared(0.0, \"s\");\nvar v = vector(\"v\");\nfunction(\"f\").inputs(v).update(s, s + v);");
        assertEquals("t.graph:3:35", e.place());
        assertTrue(e.detail().contains("update of shared variable 's'"), e.detail());
    }

    @Test
    void missingInputPointsAtInputs() {
        GraphError e = error("var x = scalar(\"x\");\nvar y = scalar(\"y\");\nfunction(\"f\").inputs(x).outputs(x + y);");
        assertEquals("t.graph:3:15", e.place());
        assertTrue(e.detail().contains("missing input 'y'"), e.detail());
    }

    @Test
    void constantsAreNotNamedByDeclarations() {
        GraphProgram p = parse("var c = constant(2.0);");
        assertInstanceOf(Constant.class, p.variables().get("c"));
        assertNull(((Var) p.variables().get("c")).name());
    }

    @Test
    void gradSampleGivesTheLectureValue() {
        GraphProgram p = parser.parse(Path.of("../samples/grad/grad.graph"));
        FunctionGraph g = p.function("dydx").graph();
        assertEquals(-1.375, call(g, NDArray.scalar(DType.FLOAT32, 1)).get(0).scalar(), 1e-6);
        assertEquals("dy", p.var("dy").name());
    }

    @Test
    void gradWithSeveralVariablesGivesAnIndexableList() {
        GraphProgram p = parse("var w = shared(ones(3), \"w\");\nvar b = shared(0.5, \"b\");\n"
                + "var c = sqr(w).sum() + 2 * b;\nvar g = grad(c, w, b);\nvar gw = g[0];\nvar gb = g.get(1);\nvar n = g.size();");
        assertEquals(2, p.variables().get("n"));
        assertEquals(DType.FLOAT32, p.var("gb").dtype());
        GraphError e = error("var w = shared(ones(3), \"w\");\nvar g = grad(w.sum(), w, w);\nvar x = g[2];");
        assertEquals("t.graph:3:11", e.place());
        assertTrue(e.detail().startsWith("index 2 is out of range"), e.detail());
    }

    @Test
    void mlpSampleParses() {
        GraphProgram p = parser.parse(Path.of("../samples/mlp/mlp.graph"));
        assertEquals(List.of("train", "predict"), List.copyOf(p.functions().keySet()));
        FunctionSpec train = p.function("train");
        assertEquals(4, train.updates().size());
        assertEquals(4, p.sharedVariables().size());
        assertEquals("prediction", train.outputs().get(0).name());
        assertEquals("xent", train.outputs().get(1).name());
    }
}
