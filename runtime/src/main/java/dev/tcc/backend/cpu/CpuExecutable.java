package dev.tcc.backend.cpu;

import com.sun.jna.Function;
import com.sun.jna.Pointer;
import dev.tcc.Backend;
import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.TccException;
import dev.tcc.codegen.program.BlasCall;
import dev.tcc.codegen.program.Buffer;
import dev.tcc.codegen.program.ConstantData;
import dev.tcc.codegen.program.GemmStep;
import dev.tcc.codegen.program.Program;
import dev.tcc.codegen.program.Shapes;
import dev.tcc.codegen.program.Step;
import dev.tcc.codegen.program.UpdateAssignment;
import dev.tcc.codegen.program.Value;
import dev.tcc.runtime.Executable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code cpu} backend's executable: a {@link Program} whose C source was compiled by
 * {@link CCompiler} into one shared library, run step by step.
 *
 * <h2>Buffers</h2>
 * <ul>
 *   <li>INPUT: the call's NDArrays themselves (their direct buffers; never copied, never written).</li>
 *   <li>SHARED / SHARED_BACK: the shared variable's {@link CpuStorage}, installed with
 *       {@link SharedVar#relocate} on first use. Every CPU function that uses the variable works on
 *       that same storage, so they see each other's updates; {@code getValue}/{@code setValue} copy
 *       out of / into it.</li>
 *   <li>CONSTANT: NDArrays made once from the program's data.</li>
 *   <li>TEMP: direct buffers kept by the executable, 64-byte aligned, grown when a call needs more
 *       (shapes may change between calls) and reused otherwise.</li>
 *   <li>OUTPUT: new NDArrays for each call, handed to the caller; the memory of outputs the caller
 *       closed ({@code Outputs.close()}) serves the next call ({@link OutputPool}).</li>
 * </ul>
 *
 * <h2>A call</h2>
 * Shapes and launch parameters come from {@link Program#shapes}; they are remembered for the last
 * input shapes, so repeated calls with the same shapes only bind pointers. Kernel steps call the
 * library's exported function ({@link Step}'s ABI: pointers, then int64 parameters); a
 * {@link GemmStep} on float32/float64 operands runs OpenBLAS ({@link Blas}) into its product
 * buffer and then its epilogue kernel, and any other GEMM (integer or mixed dtypes) runs the
 * generated C loop nest (as every GEMM does with {@code -Dtcc.cpu.blas=false}, or when OpenBLAS
 * cannot be loaded). After all steps, updates are applied: IN_PLACE ones are already in the
 * shared buffer; SWAP ones exchange the variable's current and back arrays. Not thread-safe: one
 * call at a time per function (as in Theano).
 */
public final class CpuExecutable implements Executable {
    private static final int ALIGN = 64;

    private final Program program;
    private final List<SharedVar> shared;
    private final CLibrary library;
    private final NDArray[] constants;          // by buffer id
    private final Pointer[] constantPointers;   // by buffer id
    private final int[][] kernelArgBuffers;     // by step index: the buffer behind each pointer argument of its kernel call (-1: none)
    private final ByteBuffer[] temps;           // by buffer id, grown as needed
    private final Pointer[] tempPointers;
    private final Function[] kernels;           // by step index; null for steps that need none
    private final boolean blasLoaded;           // OpenBLAS available: float GEMMs use it
    private final OutputPool outputPool;        // memory of closed Outputs, for the next call's outputs
    private Plan plan;                          // for the last input shapes
    private long[] stepNanos;                   // per step, while profiling
    private long profiledCalls;

    private CpuExecutable(Program program, List<SharedVar> shared, CLibrary library, boolean useBlas) {
        this.program = program;
        this.shared = List.copyOf(shared);
        this.library = library;
        int nb = program.buffers().size();
        this.constants = new NDArray[nb];
        this.temps = new ByteBuffer[nb];
        this.outputPool = new OutputPool(nb);
        this.tempPointers = new Pointer[nb];
        this.constantPointers = new Pointer[nb];
        for (Buffer b : program.buffers())
            if (b.kind() == Buffer.Kind.CONSTANT) {
                constants[b.id()] = constantArray(b.data());
                constantPointers[b.id()] = CLibrary.pointer(constants[b.id()]);
            }
        this.blasLoaded = useBlas;
        this.kernels = new Function[program.steps().size()];
        for (int i = 0; i < kernels.length; i++) {
            Step s = program.steps().get(i);
            boolean needsKernel = !(s instanceof GemmStep g && blasCapable(g));
            if (needsKernel) kernels[i] = library.function(s.kernel());
            if (s instanceof GemmStep g && g.epilogue() != null && !needsKernel) kernels[i] = library.function(g.epilogue().kernel());
        }
        this.kernelArgBuffers = new int[kernels.length][];
        for (int i = 0; i < kernels.length; i++) {
            Step s = program.steps().get(i);
            List<Integer> args = s instanceof GemmStep g && blasCapable(g) ? (g.epilogue() == null ? List.of() : g.epilogue().args()) : s.args();
            kernelArgBuffers[i] = new int[args.size()];
            for (int k = 0; k < args.size(); k++) kernelArgBuffers[i][k] = program.value(args.get(k)).buffer();
        }
        if (shared.size() != program.shared().size())
            throw new IllegalArgumentException("program '" + program.name() + "' uses " + program.shared().size()
                    + " shared variables, " + shared.size() + " given");
    }

    /**
     * Compiles the program's C source (or finds it in the kernel cache) and loads it.
     *
     * @param shared the shared variables bound to {@link Program#shared()}, position by position
     * @throws TccException when no C compiler works, or the source does not compile
     */
    public static CpuExecutable compile(Program program, List<SharedVar> shared) {
        if (program.sources().c() == null)
            throw new TccException("program '" + program.name() + "' carries no C source (it was scheduled for the CUDA target only); "
                    + "schedule it for C too, e.g. tcc compile --target cuda,c");
        CCompiler cc = CpuBackend.compiler();
        String what = "kernels of function '" + program.name() + "'";
        List<String> flags = new ArrayList<>(program.sources().cFlags().isEmpty() ? cc.flags() : program.sources().cFlags());
        boolean useBlas = hasFloatGemm(program) && !"false".equalsIgnoreCase(System.getProperty("tcc.cpu.blas")) && Blas.available();
        if (useBlas) flags.add("-DTCC_CPU_BLAS");       // leaves out the loop nests of the products BLAS runs
        CLibrary lib = cc.load(program.sources().c(), flags, what);
        return new CpuExecutable(program, shared, lib, useBlas);
    }

    public Program program() { return program; }

    /** Starts (or restarts) timing every step of every call; see {@link #profile()}. */
    public void startProfiling() {
        stepNanos = new long[program.steps().size()];
        profiledCalls = 0;
    }

    /** Average time per call of each step since {@link #startProfiling()}, slowest first, as text. */
    public String profile() {
        long[] p = stepNanos;
        if (p == null || profiledCalls == 0) return "no calls profiled";
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Long.compare(p[y], p[x]));
        long total = 0;
        for (long t : p) total += t;
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "%d calls, %.1f us of steps per call%n",
                profiledCalls, total / 1e3 / profiledCalls));
        for (int i : order) {
            Step s = program.steps().get(i);
            String how = s instanceof GemmStep g && blasCapable(g) ? "openblas" + (g.epilogue() != null ? "+epilogue" : "") : "kernel";
            b.append(String.format(java.util.Locale.ROOT, "%8.1f us  step %2d  %-17s %s%n", p[i] / 1e3 / profiledCalls, i, how, s.description()));
        }
        return b.toString();
    }

    /** The compiled library (an entry of the kernel cache). */
    public CLibrary library() { return library; }

    @Override public Backend backend() { return Backend.CPU; }

    /** The next call writes its outputs into these arrays' memory (see {@link OutputPool}). */
    @Override public void recycle(List<NDArray> outputs) { outputPool.giveBack(outputs); }

    @Override public List<NDArray> run(List<NDArray> inputs) {
        Plan pl = planFor(inputs);
        Pointer[] ptr = new Pointer[program.buffers().size()];
        CpuStorage[] storages = new CpuStorage[shared.size()];
        for (int i = 0; i < storages.length; i++) storages[i] = CpuStorage.of(shared.get(i));
        NDArray[] outputs = new NDArray[program.outputs().size()];
        NDArray[] outputScratch = new NDArray[outputs.length];
        for (Buffer b : program.buffers()) {
            int id = b.id();
            switch (b.kind()) {
                case INPUT -> ptr[id] = CLibrary.pointer(inputs.get(b.index()));
                case SHARED -> ptr[id] = storages[b.index()].currentPointer();
                case SHARED_BACK -> ptr[id] = storages[b.index()].backPointer();
                case CONSTANT -> ptr[id] = constantPointers[id];
                case TEMP -> ptr[id] = temp(id, pl.bufferBytes[id]);
                case OUTPUT -> {
                    int o = b.index();
                    Value v = program.value(program.outputs().get(o));
                    NDArray out = outputPool.take(id, v.dtype(), pl.shapes.of(v.id()));
                    outputs[o] = out;
                    if (pl.bufferBytes[id] > out.byteSize()) {      // the buffer also holds a larger value first
                        outputScratch[o] = NDArray.zeros(DType.BOOL, Math.toIntExact(pl.bufferBytes[id]));
                        ptr[id] = CLibrary.pointer(outputScratch[o]);
                    } else {
                        ptr[id] = CLibrary.pointer(out);
                    }
                }
                default -> throw new AssertionError(b.kind());
            }
        }
        List<Step> steps = program.steps();
        long[] prof = stepNanos;
        for (int i = 0; i < steps.size(); i++) {
            if (pl.skip[i]) continue;
            Step s = steps.get(i);
            long t0 = prof != null ? System.nanoTime() : 0;
            try {
                if (s instanceof GemmStep g && pl.blas[i] != null) runBlas(g, pl.blas[i], ptr, pl.calls[i], i);
                else kernels[i].invoke(arguments(i, ptr, pl.calls[i]));
            } catch (RuntimeException e) {
                throw new TccException("CPU step " + i + " (" + s.description() + ") of function '" + program.name() + "' failed: " + e, e);
            }
            if (prof != null) prof[i] += System.nanoTime() - t0;
        }
        if (prof != null) profiledCalls++;
        for (int o = 0; o < outputs.length; o++)
            if (outputScratch[o] != null) copyPrefix(outputScratch[o], outputs[o]);
        for (UpdateAssignment u : program.updates())
            if (u.mode() == UpdateAssignment.Mode.SWAP) storages[u.shared()].swap();
        return Arrays.asList(outputs);
    }

    // ---------------------------------------------------------------- steps

    /** The kernel call's arguments: its plan's template (boxed parameters in place) with this call's pointers. */
    private Object[] arguments(int step, Pointer[] bufferPointers, Object[] template) {
        Object[] a = template.clone();
        int[] bufs = kernelArgBuffers[step];
        for (int k = 0; k < bufs.length; k++) a[k] = bufs[k] < 0 ? Pointer.NULL : bufferPointers[bufs[k]];
        return a;
    }

    /** An argument array with room for {@code pointers} pointers, then {@code params} boxed. */
    private static Object[] template(int pointers, long[] params) {
        Object[] a = new Object[pointers + params.length];
        for (int k = 0; k < params.length; k++) a[pointers + k] = params[k];
        return a;
    }

    private static boolean hasFloatGemm(Program p) {
        for (Step s : p.steps()) if (s instanceof GemmStep g && p.value(g.product()).dtype().isFloat()) return true;
        return false;
    }

    /**
     * Whether this GEMM runs on OpenBLAS: OpenBLAS loaded and {@link GemmStep#blasEligible} (both
     * operands and the product of one float dtype, the product stored contiguously; the library was
     * then compiled without its loop nest). Otherwise the generated loop nest runs it.
     */
    private boolean blasCapable(GemmStep g) {
        return blasLoaded && g.blasEligible(program);
    }

    private void runBlas(GemmStep g, BlasCall c, Pointer[] ptr, Object[] epilogueCall, int stepIndex) {
        Pointer a = ptr[program.value(g.a()).buffer()];
        Pointer b = ptr[program.value(g.b()).buffer()];
        Pointer p = ptr[program.value(g.product()).buffer()];
        boolean f32 = program.value(g.product()).dtype() == DType.FLOAT32;
        if (c.k() == 0) {                                   // an empty sum: the product is all zeros
            p.setMemory(0, (long) c.batch() * c.m() * c.n() * (f32 ? 4 : 8), (byte) 0);
        } else if (c.m() > 0 && c.n() > 0) {
            Blas blas = Blas.get();
            for (int t = 0; t < c.batch(); t++) {
                if (f32) blas.sgemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), 1f, a, c.aOffsets()[t], c.lda(),
                        b, c.bOffsets()[t], c.ldb(), 0f, p, c.cOffsets()[t], c.ldc());
                else blas.dgemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), 1.0, a, c.aOffsets()[t], c.lda(),
                        b, c.bOffsets()[t], c.ldb(), 0.0, p, c.cOffsets()[t], c.ldc());
            }
        }
        if (g.epilogue() != null) kernels[stepIndex].invoke(arguments(stepIndex, ptr, epilogueCall));
    }

    // ---------------------------------------------------------------- plans

    /** Everything that depends only on the input shapes. */
    private static final class Plan {
        final int[][] inputShapes;
        final Shapes shapes;
        final long[] bufferBytes;
        final Object[][] calls;                 // per step: argument template of its kernel call
        final BlasCall[] blas;
        final boolean[] skip;

        Plan(int[][] inputShapes, Shapes shapes, int nb, int ns) {
            this.inputShapes = inputShapes;
            this.shapes = shapes;
            this.bufferBytes = new long[nb];
            this.calls = new Object[ns][];
            this.blas = new BlasCall[ns];
            this.skip = new boolean[ns];
        }

        boolean matches(List<NDArray> inputs) {
            for (int i = 0; i < inputShapes.length; i++) if (!Arrays.equals(inputShapes[i], inputs.get(i).shape())) return false;
            return true;
        }
    }

    private Plan planFor(List<NDArray> inputs) {
        Plan pl = plan;
        if (pl != null && pl.matches(inputs)) return pl;
        List<int[]> shapes = new ArrayList<>(inputs.size());
        int[][] in = new int[inputs.size()][];
        for (int i = 0; i < in.length; i++) { in[i] = inputs.get(i).shape(); shapes.add(in[i]); }
        Shapes s = program.shapes(shapes);
        pl = new Plan(in, s, program.buffers().size(), program.steps().size());
        for (Buffer b : program.buffers()) pl.bufferBytes[b.id()] = program.bufferBytes(b.id(), s);
        List<Step> steps = program.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step st = steps.get(i);
            if (st instanceof GemmStep g && blasCapable(g)) {
                pl.blas[i] = g.blas(s);
                if (g.epilogue() != null) pl.calls[i] = template(kernelArgBuffers[i].length, g.epilogue().params(program, s));
                pl.skip[i] = g.work(program, s) == 0;
            } else {
                pl.calls[i] = template(kernelArgBuffers[i].length, st.params(program, s));
                pl.skip[i] = st.work(program, s) == 0;
            }
        }
        plan = pl;
        return pl;
    }

    private Pointer temp(int id, long bytes) {
        ByteBuffer t = temps[id];
        if (t == null || t.capacity() < bytes) {
            long want = Math.max(bytes, t == null ? 0 : t.capacity() + t.capacity() / 2);
            if (want + ALIGN > Integer.MAX_VALUE)
                throw new TccException("function '" + program.name() + "' needs a temporary of " + bytes
                        + " bytes; the CPU backend's buffers are limited to 2 GiB");
            ByteBuffer raw = ByteBuffer.allocateDirect((int) want + ALIGN);
            long addr = Pointer.nativeValue(CLibrary.pointer(raw));
            int shift = (int) ((ALIGN - (addr % ALIGN)) % ALIGN);
            t = raw.position(shift).slice().order(ByteOrder.nativeOrder());
            t.limit((int) want);
            temps[id] = t;
            tempPointers[id] = CLibrary.pointer(t);
        }
        return tempPointers[id];
    }

    private static NDArray constantArray(ConstantData d) {
        return d.toNDArray();
    }

    private static void copyPrefix(NDArray scratch, NDArray out) {
        ByteBuffer src = scratch.buffer();
        src.limit((int) out.byteSize());
        out.buffer().put(src);
    }
}
