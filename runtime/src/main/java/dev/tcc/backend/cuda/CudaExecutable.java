package dev.tcc.backend.cuda;

import dev.tcc.Backend;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.TccException;
import dev.tcc.codegen.program.Buffer;
import dev.tcc.codegen.program.Launch;
import dev.tcc.codegen.program.Program;
import dev.tcc.codegen.program.Shapes;
import dev.tcc.codegen.program.Step;
import dev.tcc.codegen.program.UpdateAssignment;
import dev.tcc.codegen.program.Value;
import dev.tcc.runtime.Executable;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code cuda} backend's executable: a {@link Program} whose CUDA source was compiled by NVRTC
 * for the device, run step by step on one stream.
 *
 * <h2>Buffers</h2>
 * <ul>
 *   <li>INPUT: device memory kept by the executable (grown when a call's argument is larger); each
 *       call copies the argument in through a pinned staging buffer.</li>
 *   <li>SHARED / SHARED_BACK: the variable's {@link CudaStorage}, installed with
 *       {@link SharedVar#relocate} on first use and shared by every CUDA function that uses the
 *       variable; it stays on the device between calls.</li>
 *   <li>CONSTANT: uploaded once, when the executable is made.</li>
 *   <li>TEMP and OUTPUT: device memory from the caching allocator, kept between calls and grown
 *       when shapes need more; outputs are copied back through pinned staging buffers into new
 *       NDArrays for the caller.</li>
 * </ul>
 *
 * <h2>A call</h2>
 * Shapes, launch sizes and parameters come from the Program for the call's input shapes and are
 * remembered for the last ones. Inputs are copied in; the steps' kernels are launched in order
 * (each step's {@link Step#cudaEntry} with its pointers, then its int64 parameters; steps with no
 * work are skipped); outputs are copied out; the stream is synchronized, so a failing kernel is
 * reported by the call that ran it; then SWAP updates exchange the variables' buffers (IN_PLACE
 * ones were written in place). The launch sequence runs through a {@link GraphReplayer}: once a
 * sequence (kernels, sizes and every argument) has been seen a few times it is captured as a CUDA
 * graph and replayed with one launch. One call at a time per device.
 *
 * @param <H> the device's pinned memory
 * @param <G> the device's instantiated graph
 */
public final class CudaExecutable<H, G> implements Executable, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    /** One kernel launch of a call: what a CUDA graph captures, and its key. */
    record LaunchCall(CudaKernel kernel, LaunchConfig config, KernelArgs args) {}

    private final CudaDevice<H, G> device;
    private final Program program;
    private final List<SharedVar> shared;
    private final Resources<H, G> res;
    private final Map<String, CudaKernel> kernels = new HashMap<>();
    private final String fileName;
    private final List<String> options;
    private Plan plan;

    /** Device memory, staging buffers and graphs: what closing (or the cleaner) gives back. */
    private static final class Resources<H, G> implements Runnable {
        final CudaDevice<H, G> device;
        final DeviceBuffer[] buffers;    // INPUT, TEMP, OUTPUT, CONSTANT by buffer id
        final StagingBuffers<H> staging;
        final GraphReplayer<G> graphs;
        boolean closed;

        Resources(CudaDevice<H, G> device, int nb, CudaOptions options) {
            this.device = device;
            this.buffers = new DeviceBuffer[nb];
            this.staging = new StagingBuffers<>(device.pinnedMemory());
            this.graphs = new GraphReplayer<>(device, options.graphs(), options.graphWarmup(), options.maxGraphs());
        }

        @Override public void run() {
            synchronized (device) {
                closed = true;
                graphs.clear();
                for (int i = 0; i < buffers.length; i++) {
                    if (buffers[i] != null) device.release(buffers[i]);
                    buffers[i] = null;
                }
                staging.close();
            }
        }
    }

    /** Everything that depends only on the input shapes. */
    private static final class Plan {
        final int[][] inputShapes;
        final Shapes shapes;
        final long[] bufferBytes;
        final String[] entry;
        final LaunchConfig[] config;
        final long[][] params;
        final boolean[] skip;

        Plan(int[][] inputShapes, Shapes shapes, int nb, int ns) {
            this.inputShapes = inputShapes;
            this.shapes = shapes;
            this.bufferBytes = new long[nb];
            this.entry = new String[ns];
            this.config = new LaunchConfig[ns];
            this.params = new long[ns][];
            this.skip = new boolean[ns];
        }

        boolean matches(List<NDArray> inputs) {
            for (int i = 0; i < inputShapes.length; i++) if (!Arrays.equals(inputShapes[i], inputs.get(i).shape())) return false;
            return true;
        }
    }

    CudaExecutable(CudaDevice<H, G> device, Program program, List<SharedVar> shared, CudaOptions options) {
        if (shared.size() != program.shared().size()) {
            throw new IllegalArgumentException("program '" + program.name() + "' uses " + program.shared().size()
                    + " shared variables, " + shared.size() + " given");
        }
        this.device = device;
        this.program = program;
        this.shared = List.copyOf(shared);
        this.fileName = program.name() + ".cu";
        this.options = program.sources().nvrtcOptions();
        this.res = new Resources<>(device, program.buffers().size(), options);
        CLEANER.register(this, res);
        synchronized (device) {
            // compile now, so that a kernel that does not compile fails the function's build, not its first call
            for (Step s : program.steps()) kernel(s.kernel());
            for (Buffer b : program.buffers()) {
                if (b.kind() != Buffer.Kind.CONSTANT) continue;
                NDArray data = b.data().toNDArray();
                DeviceBuffer d = device.allocate(data.byteSize());
                res.buffers[b.id()] = d;
                device.writeNow(d, data.buffer(), data.byteSize());
            }
        }
    }

    /**
     * Compiles the program's CUDA source for the device (or finds it in the kernel cache) and loads it.
     *
     * @param shared the shared variables bound to {@link Program#shared()}, position by position
     * @throws TccException when no device is usable, or the source does not compile (with NVRTC's log)
     */
    public static CudaExecutable<?, ?> compile(Program program, List<SharedVar> shared) {
        if (program.sources().cuda() == null)
            throw new TccException("program '" + program.name() + "' carries no CUDA source (it was scheduled for the C target only); "
                    + "schedule it for CUDA too, e.g. tcc compile --target cuda,c");
        return on(CudaBackend.device(), program, shared);
    }

    private static <H, G> CudaExecutable<H, G> on(CudaDevice<H, G> device, Program program, List<SharedVar> shared) {
        return new CudaExecutable<>(device, program, shared, CudaOptions.current());
    }

    public Program program() { return program; }

    @Override public Backend backend() { return Backend.CUDA; }

    /** The CUDA-graph bookkeeping of this function (counts of eager calls, captures, replays). */
    public GraphReplayer<G> graphs() { return res.graphs; }

    private CudaKernel kernel(String entry) {
        CudaKernel k = kernels.get(entry);
        if (k == null) {
            try {
                k = device.load(program.sources().cuda(), fileName, options, entry);
            } catch (IllegalArgumentException e) {
                throw new TccException("CUDA kernel " + entry + " of function '" + program.name() + "': " + e.getMessage(), e);
            }
            kernels.put(entry, k);
        }
        return k;
    }

    @Override public List<NDArray> run(List<NDArray> inputs) {
        while (true) {
            CudaStorage[] storages = new CudaStorage[shared.size()];
            for (int i = 0; i < storages.length; i++) storages[i] = CudaStorage.of(shared.get(i), device);
            synchronized (device) {
                boolean stillHere = true;
                for (int i = 0; i < storages.length; i++) stillHere &= shared.get(i).storage() == storages[i];
                if (stillHere) return runLocked(inputs, storages);
            }
            // another thread moved a variable off the device in between: bind again
        }
    }

    private List<NDArray> runLocked(List<NDArray> inputs, CudaStorage[] storages) {
        if (res.closed) throw new TccException("function '" + program.name() + "' was closed; its device memory is gone");
        Plan pl = planFor(inputs);
        int nb = program.buffers().size();
        DeviceBuffer[] ptr = new DeviceBuffer[nb];
        for (Buffer b : program.buffers()) {
            int id = b.id();
            ptr[id] = switch (b.kind()) {
                case INPUT -> ensure(id, inputs.get(b.index()).byteSize());
                case SHARED -> storages[b.index()].current();
                case SHARED_BACK -> storages[b.index()].back();
                case CONSTANT -> res.buffers[id];
                case TEMP, OUTPUT -> ensure(id, pl.bufferBytes[id]);
            };
        }
        // inputs in, through pinned staging buffers
        for (Buffer b : program.buffers()) {
            if (b.kind() != Buffer.Kind.INPUT) continue;
            NDArray in = inputs.get(b.index());
            long bytes = in.byteSize();
            if (bytes == 0) continue;
            StagingBuffers.Staged<H> s = res.staging.get(b.index(), bytes);
            ByteBuffer src = in.buffer();
            src.limit(Math.toIntExact(bytes));
            s.view().put(src);
            device.copyToDevice(ptr[b.id()], s.handle(), bytes);
        }
        // the launches
        List<Step> steps = program.steps();
        List<LaunchCall> calls = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            if (pl.skip[i]) continue;
            Step s = steps.get(i);
            CudaKernel k = kernel(pl.entry[i]);
            List<Integer> args = s.args();
            Object[] values = new Object[args.size() + pl.params[i].length];
            int n = 0;
            for (int v : args) {
                int buf = program.value(v).buffer();
                values[n++] = buf < 0 ? KernelArgs.pointer(0) : ptr[buf];
            }
            for (long p : pl.params[i]) values[n++] = p;
            KernelArgs packed;
            try {
                packed = KernelArgs.pack(k.signature(), values);
            } catch (IllegalArgumentException e) {
                throw new TccException("step " + i + " (" + s.description() + ") of function '" + program.name()
                        + "' does not fit its kernel: " + e.getMessage(), e);
            }
            calls.add(new LaunchCall(k, pl.config[i], packed));
        }
        try {
            res.graphs.run(calls, () -> {
                for (LaunchCall c : calls) device.launch(c.kernel(), c.config(), c.args());
            });
        } catch (RuntimeException e) {
            throw new TccException("CUDA: launching the kernels of function '" + program.name() + "' failed: " + e.getMessage(), e);
        }
        // outputs out
        int nIn = program.inputs().size();
        int nOut = program.outputs().size();
        NDArray[] outs = new NDArray[nOut];
        List<StagingBuffers.Staged<H>> staged = new ArrayList<>(nOut);
        for (int o = 0; o < nOut; o++) {
            Value v = program.value(program.outputs().get(o));
            outs[o] = NDArray.empty(v.dtype(), pl.shapes.of(v.id()));
            long bytes = outs[o].byteSize();
            StagingBuffers.Staged<H> s = bytes == 0 ? null : res.staging.get(nIn + o, bytes);
            staged.add(s);
            if (s != null) device.copyToHost(s.handle(), ptr[v.buffer()], bytes);
        }
        try {
            device.synchronize();
        } catch (RuntimeException e) {
            throw new TccException("CUDA: function '" + program.name() + "' failed on the device: " + e.getMessage(), e);
        }
        for (int o = 0; o < nOut; o++) {
            StagingBuffers.Staged<H> s = staged.get(o);
            if (s != null) outs[o].buffer().put(s.view());
        }
        for (UpdateAssignment u : program.updates()) {
            if (u.mode() == UpdateAssignment.Mode.SWAP) storages[u.shared()].swap();
        }
        return Arrays.asList(outs);
    }

    /** The kept buffer {@code id}, grown to at least {@code bytes}. */
    private DeviceBuffer ensure(int id, long bytes) {
        DeviceBuffer d = res.buffers[id];
        if (d == null || d.bytes() < bytes) {
            if (d != null) device.release(d);
            res.buffers[id] = null;
            d = device.allocate(bytes);
            res.buffers[id] = d;
        }
        return d;
    }

    private Plan planFor(List<NDArray> inputs) {
        Plan pl = plan;
        if (pl != null && pl.matches(inputs)) return pl;
        List<int[]> shapes = new ArrayList<>(inputs.size());
        int[][] in = new int[inputs.size()][];
        for (int i = 0; i < in.length; i++) {
            in[i] = inputs.get(i).shape();
            shapes.add(in[i]);
        }
        Shapes s = program.shapes(shapes);
        List<Step> steps = program.steps();
        pl = new Plan(in, s, program.buffers().size(), steps.size());
        for (Buffer b : program.buffers()) pl.bufferBytes[b.id()] = program.bufferBytes(b.id(), s);
        for (int i = 0; i < steps.size(); i++) {
            Step st = steps.get(i);
            pl.skip[i] = st.work(program, s) == 0;
            if (pl.skip[i]) continue;
            pl.entry[i] = st.cudaEntry(program, s);
            pl.params[i] = st.params(program, s);
            pl.config[i] = config(st.launch(program, s), st, i);
            checkAbi(kernel(pl.entry[i]), st, pl.params[i].length, i);
        }
        plan = pl;
        return pl;
    }

    private LaunchConfig config(Launch l, Step st, int i) {
        if (l.gridX() > Integer.MAX_VALUE || l.gridY() > Integer.MAX_VALUE || l.gridZ() > Integer.MAX_VALUE) {
            throw new TccException("step " + i + " (" + st.description() + ") of function '" + program.name() + "' needs a grid of "
                    + l.gridX() + " x " + l.gridY() + " x " + l.gridZ() + " blocks, more than CUDA allows");
        }
        LaunchConfig c = new LaunchConfig((int) l.gridX(), (int) l.gridY(), (int) l.gridZ(), l.blockX(), l.blockY(), l.blockZ(),
                l.sharedBytes());
        try {
            c.check(st.kernel(), device.limits());
        } catch (IllegalArgumentException e) {
            throw new TccException("step " + i + " (" + st.description() + ") of function '" + program.name() + "': " + e.getMessage(), e);
        }
        return c;
    }

    /** The kernel's parameters must be the step's pointers, then its int64 parameters (the Program's kernel ABI). */
    private void checkAbi(CudaKernel k, Step st, int nParams, int i) {
        List<ParamType> types = k.signature().types();
        boolean ok = types.size() == st.args().size() + nParams;
        for (int j = 0; ok && j < types.size(); j++) {
            ok = types.get(j) == (j < st.args().size() ? ParamType.PTR : ParamType.I64);
        }
        if (!ok) {
            throw new TccException("step " + i + " (" + st.description() + ") of function '" + program.name() + "' passes "
                    + st.args().size() + " pointers and " + nParams + " int64 parameters, but kernel " + k.name() + " takes "
                    + k.signature().params().stream().map(p -> p.cType() + " " + p.name()).toList());
        }
    }

    /** Gives back device memory, pinned buffers and graphs now (else when the executable is garbage). */
    @Override public void close() {
        res.run();
    }
}
