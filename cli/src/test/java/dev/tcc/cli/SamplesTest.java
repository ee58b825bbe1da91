package dev.tcc.cli;

import static dev.tcc.cli.Cli.tcc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.DType;
import dev.tcc.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The samples, run through the tcc command in-process on the default backend. */
class SamplesTest {
    static final String SAMPLES = "../samples/";

    private static Cli.Result ok(String... args) {
        Cli.Result r = tcc(args);
        assertEquals(0, r.code(), r::toString);
        return r;
    }

    @Test
    void functionAddsTwoScalars() {
        Cli.Result r = ok("run", SAMPLES + "function/function.graph", "--arg", "x=1", "--arg", "y=2");
        assertEquals("sum = 3.0\n", r.out());
        assertTrue(r.err().startsWith("ran 'f' 1 time on "), r::toString);
    }

    @Test
    void scalarChain() {
        Cli.Result r = ok("run", SAMPLES + "scalar/scalar.graph", "--arg", "x=1", "--arg", "y=2");
        assertTrue(r.out().startsWith("z = 3.0\nd = 3.10480"), r::toString);
    }

    @Test
    void vectorsAndMatrices() {
        String m1 = "x=array(1, 2, 3, 4).reshape(2, 2)", m2 = "y=array(5, 6, 7, 8).reshape(2, 2)";
        String file = SAMPLES + "vectors/vectors.graph";
        assertEquals("out0: float32 (2, 2)\n[[19. 22.]\n [43. 50.]]\n", ok("run", file, "--fn", "mm", "--arg", m1, "--arg", m2).out());
        assertEquals("out0: float32 (2,)\n[ 5. 11.]\n", ok("run", file, "--fn", "mv", "--arg", m1, "--arg", "a=array(1, 2)").out());
        assertEquals("out0 = 11.0\n", ok("run", file, "--fn", "vv", "--arg", "a=array(1, 2)", "--arg", "b=array(3, 4)").out());
        assertEquals("out0: float32 (2,)\n[3. 8.]\n", ok("run", file, "--fn", "elementwise", "--arg", "a=array(1, 2)", "--arg", "b=array(3, 4)").out());
        assertEquals("out0: float32 (2,)\n[3.5 4.5]\n", ok("run", file, "--fn", "broadcast", "--arg", "e=array(1, 2)", "--arg", "f=2.5").out());
    }

    @Test
    void gradOfTheLectureExpression() {
        Cli.Result r = ok("run", SAMPLES + "grad/grad.graph", "--arg", "x=1");
        assertEquals("dy = -1.375\n", r.out());
    }

    /**
     * The MLP, a few steps on the default backend (the 10,000-step run is {@link MlpTrainingTest}).
     * On the interpreter the values are inf/NaN: unoptimized, sigmoid saturates to exactly 1 in
     * float32 and the literal cross entropy is log(0) (see MlpGradientTest); so only the shapes are checked.
     */
    @Test
    void mlpTrainsAFewSteps(@TempDir Path dir) throws IOException {
        Cli.Result r = ok("run", SAMPLES + "mlp/mlp.graph", "--fn", "train", "--steps", "2",
                "--arg", "x=random(0).randn(400, 784)", "--arg", "y=random(0).randint(0, 2, 400).astype(float32)",
                "--save", dir.toString());
        assertTrue(r.out().startsWith("prediction: bool (400,)\n["), r::toString);
        assertTrue(r.out().contains("\nxent: float32 (400,)\n["), r::toString);
        assertTrue(r.out().contains("shared variables after call 2:\n  w1: float32 (784, 300)  "), r::toString);
        assertTrue(r.err().contains("ran 'train' 2 times on "), r::toString);
        for (String f : new String[] {"prediction", "xent", "w1", "b1", "w2", "b2"})
            assertTrue(Files.exists(dir.resolve(f + ".npy")), f);
        assertEquals(784, NDArray.load(dir.resolve("w1.npy")).shape(0));
    }

    @Test
    void sharedCounterReaches101() {
        Cli.Result r = ok("run", SAMPLES + "shared/shared.graph", "--fn", "accumulate", "--arg", "inc=1", "--steps", "101");
        assertEquals("state = 100.0\nshared variables after call 101:\n  state = 101.0\n", r.out());
    }

    @Test
    void givensReplaceTheSharedState() {
        Cli.Result r = ok("run", SAMPLES + "shared/shared.graph", "--fn", "skip_shared", "--arg", "inc=1", "--arg", "foo=3");
        assertEquals("next = 7.0\n", r.out());
    }

    @Test
    void saveWritesOutputsAndSharedValues(@TempDir Path dir) throws IOException {
        ok("run", SAMPLES + "shared/shared.graph", "--fn", "accumulate", "--arg", "inc=2", "--steps", "3", "--save", dir.toString());
        // the output is the state itself, so it takes out0 and state.npy holds the final value
        assertEquals(4.0, NDArray.load(dir.resolve("out0.npy")).scalar());
        assertEquals(6.0, NDArray.load(dir.resolve("state.npy")).scalar());
        ok("run", SAMPLES + "scalar/scalar.graph", "--arg", "x=1", "--arg", "y=2", "--save", dir.toString());
        NDArray z = NDArray.load(dir.resolve("z.npy"));
        assertEquals(DType.FLOAT32, z.dtype());
        assertEquals(3.0, z.scalar());
        assertTrue(Files.exists(dir.resolve("d.npy")));
    }

    @Test
    void argumentsFromNpyFiles(@TempDir Path dir) throws IOException {
        NDArray.of(new float[] {1, 2}).save(dir.resolve("a.npy"));
        NDArray.of(new float[] {3, 4}).save(dir.resolve("b.npy"));
        Cli.Result r = ok("run", SAMPLES + "vectors/vectors.graph", "--fn", "vv", "--arg", "a=@" + dir.resolve("a.npy"), "--arg", "b=@" + dir.resolve("b.npy"));
        assertEquals("out0 = 11.0\n", r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar/scalar.graph", "vectors/vectors.graph", "function/function.graph", "shared/shared.graph",
            "grad/grad.graph", "mlp/mlp.graph"})
    void inspectPrintsEveryFunction(String sample) {
        Cli.Result r = ok("inspect", SAMPLES + sample);
        assertTrue(r.out().startsWith("function '"), r::toString);
        assertTrue(r.out().contains("[id A]"), r::toString);
        assertTrue(r.out().contains(sample.substring(sample.indexOf('/') + 1) + ":"), "creation sites are shown\n" + r);
    }

    @Test
    void inspectShowsIdsTypesNamesAndSites() {
        Cli.Result r = ok("inspect", SAMPLES + "scalar/scalar.graph");
        String expected = String.join("\n",
                "function 'chain'",
                "inputs:",
                "  x [id A] float32() input  ../samples/scalar/scalar.graph:3:9",
                "  y [id B] float32() input  ../samples/scalar/scalar.graph:4:9",
                "outputs:",
                "  output 0:",
                "  add [id C] float32() 'z'  ../samples/scalar/scalar.graph:5:11",
                "   |x [id A] float32() input  ../samples/scalar/scalar.graph:3:9",
                "   |y [id B] float32() input  ../samples/scalar/scalar.graph:4:9",
                "  output 1:",
                "  log [id D] float32() 'd'  ../samples/scalar/scalar.graph:10:9",
                "   |pow [id E] float32() 'c'  ../samples/scalar/scalar.graph:9:9",
                "   | |sqrt [id F] float32() 'a'  ../samples/scalar/scalar.graph:7:9",
                "   | | |mul [id G] float32() 'w'  ../samples/scalar/scalar.graph:6:11",
                "   | | | |add [id C] float32() 'z'  ../samples/scalar/scalar.graph:5:11",
                "   | | | |x [id A] float32() input  ../samples/scalar/scalar.graph:3:9",
                "   | |exp [id H] float32() 'b'  ../samples/scalar/scalar.graph:8:9",
                "   | | |sqrt [id F] float32() 'a'  ../samples/scalar/scalar.graph:7:9",
                "");
        assertEquals(expected, r.out());
    }

    @Test
    void inspectWritesGraphviz(@TempDir Path dir) throws IOException {
        Path dot = dir.resolve("g.dot");
        ok("inspect", SAMPLES + "shared/shared.graph", "--fn", "accumulate", "--dot", dot.toString());
        String text = Files.readString(dot);
        assertTrue(text.startsWith("digraph tcc {"), text);
        assertTrue(text.contains("function 'accumulate'") && text.contains("update state"), text);
    }

    @Test
    void benchTimesCalls() {
        Cli.Result r = ok("bench", SAMPLES + "function/function.graph", "--arg", "x=1", "--arg", "y=2", "--steps", "5", "--warmup", "1");
        assertTrue(r.out().contains("per call: median "), r::toString);
        assertTrue(r.out().contains("5 timed calls after 1 warm-up call"), r::toString);
    }

    @Test
    void floatxOptionMakesFloat64Inputs() {
        Cli.Result r = ok("run", "--floatx", "float64", SAMPLES + "scalar/scalar.graph", "--arg", "x=1", "--arg", "y=2");
        assertTrue(r.out().contains("d = 3.10480"), r::toString);
        assertEquals(DType.FLOAT32, dev.tcc.Config.get().floatX(), "the option does not leak");
    }
}
