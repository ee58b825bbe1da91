package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.Tcc;
import dev.tcc.TccException;
import dev.tcc.codegen.program.Access;
import dev.tcc.codegen.program.Buffer;
import dev.tcc.codegen.program.ConstantData;
import dev.tcc.codegen.program.ElementwiseStep;
import dev.tcc.codegen.program.InputInfo;
import dev.tcc.codegen.program.Program;
import dev.tcc.codegen.program.ShapeRule;
import dev.tcc.codegen.program.SharedInfo;
import dev.tcc.codegen.program.Sources;
import dev.tcc.codegen.program.Step;
import dev.tcc.codegen.program.UpdateAssignment;
import dev.tcc.codegen.program.Value;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * How CudaExecutable runs a Program, on a {@link FakeDevice} that records driver calls: buffer
 * binding, copies in and out, launch order and arguments, SWAP and IN_PLACE updates, steady-state
 * allocation, graph capture and re-planning on shape changes. Kernels are not run here (the
 * gpu-tagged tests compare results on a device); these tests check only the bookkeeping.
 */
class CudaExecutableTest {
    static final String SOURCE = """
            extern "C" __global__ void f_k0(float* o, const float* a, long long n) {}
            extern "C" __global__ void f_k1(float* o, const float* a, long long n) {}
            extern "C" __global__ void f_k2(float* o, const float* a, const float* k, long long n) {}
            extern "C" __global__ void f_k3(float* o, const float* a, long long n) {}
            extern "C" __global__ void f_k4(float* o, const float* a, long long n) {}
            """;

    /**
     * x: float32 vector input; w, c: float32[4] shared; k: float32[4] constant.
     * t = x + 1 (TEMP); out0 = t * 2; out1 = w * k; w := w * 0.5 (SWAP); c := c + 1 (IN_PLACE).
     */
    static Program program(String source) {
        var f = DType.FLOAT32;
        List<Buffer> buffers = List.of(
                new Buffer(0, Buffer.Kind.INPUT, "x", f, 0, null),
                new Buffer(1, Buffer.Kind.SHARED, "w", f, 0, null),
                new Buffer(2, Buffer.Kind.SHARED_BACK, "w'", f, 0, null),
                new Buffer(3, Buffer.Kind.SHARED, "c", f, 1, null),
                new Buffer(4, Buffer.Kind.TEMP, "tmp0", null, -1, null),
                new Buffer(5, Buffer.Kind.OUTPUT, "out0", f, 0, null),
                new Buffer(6, Buffer.Kind.OUTPUT, "out1", f, 1, null),
                new Buffer(7, Buffer.Kind.CONSTANT, "k", f, -1, ConstantData.of(NDArray.of(new float[] {1, 2, 3, 4}))));
        List<Integer> any = List.of(-1), four = List.of(4);
        List<Value> values = List.of(
                new Value(0, "x", f, any, new ShapeRule.Input(0), 0, true, "T.java:1"),
                new Value(1, "w", f, four, new ShapeRule.Fixed(four), 1, true, "T.java:2"),
                new Value(2, "c", f, four, new ShapeRule.Fixed(four), 3, true, "T.java:3"),
                new Value(3, "t", f, any, new ShapeRule.Same(0), 4, true, "T.java:4"),
                new Value(4, "out0", f, any, new ShapeRule.Same(3), 5, true, "T.java:5"),
                new Value(5, "k", f, four, new ShapeRule.Fixed(four), 7, true, "T.java:6"),
                new Value(6, "out1", f, four, new ShapeRule.Same(1), 6, true, "T.java:7"),
                new Value(7, "w_new", f, four, new ShapeRule.Same(1), 2, true, "T.java:8"),
                new Value(8, "c_new", f, four, new ShapeRule.Same(2), 3, true, "T.java:9"));
        List<Access> c1 = List.of(Access.CONTIGUOUS), c2 = List.of(Access.CONTIGUOUS, Access.CONTIGUOUS);
        List<Step> steps = List.of(
                new ElementwiseStep("f_k0", false, List.of(0), c1, List.of(3), "t = x + 1"),
                new ElementwiseStep("f_k1", false, List.of(3), c1, List.of(4), "out0 = t * 2"),
                new ElementwiseStep("f_k2", false, List.of(1, 5), c2, List.of(6), "out1 = w * k"),
                new ElementwiseStep("f_k3", false, List.of(1), c1, List.of(7), "w * 0.5"),
                new ElementwiseStep("f_k4", false, List.of(2), c1, List.of(8), "c + 1"));
        return new Program(Program.FORMAT_VERSION, "f", false,
                List.of(new InputInfo("x", f, any, "T.java:1")),
                List.of(new SharedInfo("w", f, four, "T.java:2", null), new SharedInfo("c", f, four, "T.java:3", null)),
                buffers, values, steps, List.of(4, 6),
                List.of(new UpdateAssignment(0, 7, UpdateAssignment.Mode.SWAP), new UpdateAssignment(1, 8, UpdateAssignment.Mode.IN_PLACE)),
                new Sources(source, "", List.of("--fmad=false"), List.of()));
    }

    final FakeDevice dev = new FakeDevice();
    final SharedVar w = Tcc.shared(NDArray.of(new float[] {1, 2, 3, 4}), "w");
    final SharedVar c = Tcc.shared(NDArray.of(new float[] {0, 0, 0, 0}), "c");

    CudaExecutable<ByteBuffer, String> exe(boolean graphs) {
        return new CudaExecutable<>(dev, program(SOURCE), List.of(w, c), new CudaOptions(graphs, 2, 4));
    }

    static NDArray x(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = i + 1;
        return NDArray.of(a);
    }

    /** The hex addresses in a launch log line, in argument order. */
    static List<String> pointers(String launch) {
        Matcher m = Pattern.compile("0x[0-9a-f]+").matcher(launch);
        return m.results().map(r -> r.group()).toList();
    }

    String launchOf(String kernel) {
        List<String> l = dev.log.stream().filter(s -> s.startsWith("launch " + kernel + "(")).toList();
        return l.get(l.size() - 1);
    }

    @Test void compilesEveryKernelAndUploadsConstantsWhenMade() {
        exe(false);
        assertEquals(List.of("load f_k0 from f.cu [--fmad=false]", "load f_k1 from f.cu [--fmad=false]",
                "load f_k2 from f.cu [--fmad=false]", "load f_k3 from f.cu [--fmad=false]", "load f_k4 from f.cu [--fmad=false]"),
                dev.entries("load"));
        assertEquals(1, dev.entries("write 16").size(), "the constant, once");
    }

    @Test void firstCallBindsBuffersCopiesAndLaunchesInOrder() {
        var f = exe(false);
        dev.log.clear();
        List<NDArray> out = f.run(List.of(x(3)));
        // shared variables moved to the device first (setValue-style writes), then the call
        assertTrue(w.storage() instanceof CudaStorage && c.storage() instanceof CudaStorage);
        List<String> calls = dev.log.stream().filter(s -> !s.startsWith("cuMemAlloc")).toList();
        assertEquals(List.of("write", "write", "h2d", "launch", "launch", "launch", "launch", "launch", "d2h", "d2h", "sync"),
                calls.stream().map(s -> s.split(" ")[0]).toList(), dev.log.toString());
        assertTrue(calls.get(2).startsWith("h2d 12 -> "), calls.get(2));
        String k0 = launchOf("f_k0"), k1 = launchOf("f_k1"), k2 = launchOf("f_k2"), k3 = launchOf("f_k3"), k4 = launchOf("f_k4");
        assertTrue(k0.endsWith(", 3) grid (1, 1, 1) block (256, 1, 1)"), k0);
        String xAddr = calls.get(2).substring(calls.get(2).indexOf("0x"));
        assertEquals(xAddr, pointers(k0).get(1), "f_k0 reads the input buffer");
        assertEquals(pointers(k0).get(0), pointers(k1).get(1), "f_k1 reads the temporary f_k0 wrote");
        assertEquals(pointers(k2).get(1), pointers(k3).get(1), "both read w's current buffer");
        assertNotEquals(pointers(k3).get(0), pointers(k3).get(1), "the SWAP update writes the back buffer");
        assertEquals(pointers(k4).get(0), pointers(k4).get(1), "the IN_PLACE update writes where it reads");
        assertTrue(k2.endsWith(", 4) grid (1, 1, 1) block (256, 1, 1)"), k2);
        assertTrue(calls.get(8).equals("d2h 12 <- " + pointers(k1).get(0)), calls.get(8));
        assertTrue(calls.get(9).equals("d2h 16 <- " + pointers(k2).get(0)), calls.get(9));
        assertEquals(2, out.size());
        assertArrayEquals(new int[] {3}, out.get(0).shape());
        assertArrayEquals(new int[] {4}, out.get(1).shape());
        assertEquals(DType.FLOAT32, out.get(1).dtype());
    }

    @Test void swapMakesTheUpdatedBufferTheValueForTheNextCallAndForGetValue() {
        var f = exe(false);
        f.run(List.of(x(3)));
        String written = pointers(launchOf("f_k3")).get(0);
        String read = pointers(launchOf("f_k3")).get(1);
        f.run(List.of(x(3)));
        assertEquals(written, pointers(launchOf("f_k2")).get(1), "call 2 reads w where call 1's update wrote it");
        assertEquals(read, pointers(launchOf("f_k3")).get(0), "and writes its update into the old buffer");
        dev.log.clear();
        w.getValue();
        assertEquals(List.of("read 16 <- " + read), dev.entries("read"), "getValue copies the current buffer back");
    }

    @Test void setValueAndGetValueGoThroughDeviceMemory() {
        var f = exe(false);
        f.run(List.of(x(2)));
        w.setValue(NDArray.of(new float[] {5, 6, 7, 8}));
        assertEquals(NDArray.of(new float[] {5, 6, 7, 8}), w.getValue());
        assertEquals(NDArray.of(new float[] {0, 0, 0, 0}), c.getValue());
    }

    @Test void steadyCallsAllocateNothing() {
        var f = exe(false);
        f.run(List.of(x(100)));
        f.run(List.of(x(100)));   // the SWAP back buffer exists after the first call
        long allocs = dev.allocator.backingAllocations(), pinned = dev.pinnedAllocations;
        for (int i = 0; i < 50; i++) f.run(List.of(x(100)));
        assertEquals(allocs, dev.allocator.backingAllocations(), "no cuMemAlloc in steady state");
        assertEquals(pinned, dev.pinnedAllocations, "no pinned allocation in steady state");
        assertEquals(0, dev.allocator.reuses(), "buffers are kept, not even taken from the free lists");
    }

    @Test void shapeChangesReplanAndGrowBuffers() {
        var f = exe(false);
        f.run(List.of(x(3)));
        long allocs = dev.allocator.backingAllocations();
        f.run(List.of(x(1000)));
        assertTrue(launchOf("f_k0").endsWith(", 1000) grid (4, 1, 1) block (256, 1, 1)"), launchOf("f_k0"));
        assertTrue(dev.allocator.backingAllocations() > allocs, "input, temporary and output grew");
        long grown = dev.allocator.backingAllocations();
        f.run(List.of(x(5)));
        assertTrue(launchOf("f_k0").endsWith(", 5) grid (1, 1, 1) block (256, 1, 1)"), launchOf("f_k0"));
        assertEquals(grown, dev.allocator.backingAllocations(), "smaller shapes fit the grown buffers");
    }

    @Test void stepsWithNoWorkAreSkipped() {
        var f = exe(false);
        dev.log.clear();
        List<NDArray> out = f.run(List.of(NDArray.zeros(DType.FLOAT32, 0)));
        assertEquals(List.of(), dev.entries("launch f_k0"));
        assertEquals(List.of(), dev.entries("launch f_k1"));
        assertEquals(1, dev.entries("launch f_k2").size());
        assertEquals(List.of(), dev.entries("h2d"));
        assertEquals(0, out.get(0).size());
    }

    @Test void graphsAreCapturedForBothPhasesOfASwap() {
        var f = exe(true);
        for (int i = 0; i < 8; i++) f.run(List.of(x(3)));
        // keys alternate (w's buffers swap every call): each is captured on its third call
        assertEquals(4, f.graphs().eagerCalls());
        assertEquals(2, f.graphs().captures());
        assertEquals(2, f.graphs().replays());
        assertEquals(List.of("launch graph0", "launch graph1", "launch graph0", "launch graph1"), dev.entries("launch graph"));
        assertEquals(10, dev.entries("record").size(), "each capture records the five launches");
        // a shape change runs eagerly again
        dev.log.clear();
        f.run(List.of(x(7)));
        assertEquals(5, dev.entries("launch f_k").size());
    }

    @Test void aKernelWhoseParametersDoNotMatchTheStepIsReported() {
        var bad = program(SOURCE.replace("f_k1(float* o, const float* a, long long n)", "f_k1(float* o, const float* a, int n)"));
        var f = new CudaExecutable<>(dev, bad, List.of(w, c), new CudaOptions(false, 2, 4));
        TccException e = assertThrows(TccException.class, () -> f.run(List.of(x(3))));
        assertTrue(e.getMessage().contains("step 1 (out0 = t * 2) of function 'f' passes 2 pointers and 1 int64 parameters, "
                + "but kernel f_k1 takes [float* o, const float* a, int n]"), e.getMessage());
    }

    @Test void closeGivesBackEverything() {
        var f = exe(true);
        for (int i = 0; i < 6; i++) f.run(List.of(x(3)));
        long shared = 2 * 512 + 512;   // w, w's back buffer, c
        f.close();
        assertEquals(shared, dev.allocator.bytesInUse());
        assertTrue(dev.log.contains("destroy graph0"), dev.log.toString());
        TccException e = assertThrows(TccException.class, () -> f.run(List.of(x(3))));
        assertTrue(e.getMessage().contains("was closed"), e.getMessage());
    }

    @Test void storageIsSharedByFunctionsOnOneDevice() {
        var f = exe(false);
        var g = exe(false);
        f.run(List.of(x(3)));
        CudaStorage s = (CudaStorage) w.storage();
        g.run(List.of(x(3)));
        assertSame(s, w.storage());
    }
}
