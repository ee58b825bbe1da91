package dev.tcc.codegen.program;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tcc.TccException;
import dev.tcc.ir.TensorType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a backend executes for one function (DESIGN.md §1): plain data, JSON-serializable.
 *
 * <h2>Running a Program (what a backend does per call)</h2>
 * <ol>
 *   <li>{@code Shapes s = program.shapes(inputShapes)} — the run-time shape of every value (checks
 *       sizes that the types left open and throws a TccException naming the variable).</li>
 *   <li>Bind INPUT buffers to the arguments, SHARED/SHARED_BACK to the shared variables' storage
 *       ({@link #shared()} position i is {@code Schedule.Result#sharedVars()} element i), upload
 *       CONSTANT buffers once, allocate OUTPUT buffers and TEMP buffers of
 *       {@link #bufferBytes(int, Shapes)} bytes (a TEMP buffer may be kept and grown between calls).</li>
 *   <li>Run the {@link #steps()} in order (see {@link Step} for the kernel ABI). A value's pointer is
 *       the start of its buffer, {@link Value#buffer()}.</li>
 *   <li>Apply the {@link #updates()}: IN_PLACE needs nothing; SWAP exchanges the variable's SHARED
 *       and SHARED_BACK buffers.</li>
 *   <li>Return the OUTPUT buffers in order; output i is value {@code outputs().get(i)}, whose
 *       buffer is the OUTPUT buffer with index i.</li>
 * </ol>
 *
 * <h2>Shapes</h2>
 * Shapes may change from call to call without recompiling: kernels are specialised only on what
 * the static types fix (rank, dtype, which axes broadcast) and take sizes as int64 launch parameters;
 * each value's {@link ShapeRule} gives its size from the inputs' shapes.
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param name     the function's name (sanitized; also the prefix of every kernel name)
 * @param fastMath whether the sources were generated for fast math
 * @param inputs   the explicit inputs, in call order
 * @param shared   the shared variables read or updated
 * @param buffers  storage, by id
 * @param values   tensors, by id, topologically ordered
 * @param steps    kernel launches, in execution order
 * @param outputs  value id of each output, in order
 * @param updates  shared variable assignments, applied after all steps
 * @param sources  the generated CUDA C and C
 */
public record Program(int formatVersion, String name, boolean fastMath, List<InputInfo> inputs, List<SharedInfo> shared,
                      List<Buffer> buffers, List<Value> values, List<Step> steps, List<Integer> outputs,
                      List<UpdateAssignment> updates, Sources sources) {

    public static final int FORMAT_VERSION = 1;

    public Program {
        inputs = List.copyOf(inputs);
        shared = List.copyOf(shared);
        buffers = List.copyOf(buffers);
        values = List.copyOf(values);
        steps = List.copyOf(steps);
        outputs = List.copyOf(outputs);
        updates = List.copyOf(updates);
    }

    public Value value(int id) { return values.get(id); }

    public Buffer buffer(int id) { return buffers.get(id); }

    /** The buffer that holds value {@code id}, or null for a value that is never stored. */
    public Buffer bufferOf(int id) {
        int b = values.get(id).buffer();
        return b < 0 ? null : buffers.get(b);
    }

    /** Copy of this program with other sources (the code generator fills them in). */
    public Program withSources(Sources s) {
        return new Program(formatVersion, name, fastMath, inputs, shared, buffers, values, steps, outputs, updates, s);
    }

    // ---- shapes ---------------------------------------------------------------------------------

    /**
     * The shape of every value for a call whose inputs have these shapes (in input order).
     *
     * @throws TccException when the shapes do not fit the graph; the message names the variable
     */
    public Shapes shapes(List<int[]> inputShapes) {
        if (inputShapes.size() != inputs.size()) throw new TccException("program '" + name + "' takes " + inputs.size()
                + " inputs, got " + inputShapes.size() + " shapes");
        int[][] sh = new int[values.size()][];
        for (Value v : values) {
            int[] s;
            if (v.shape() instanceof ShapeRule.Input in) {
                s = inputShapes.get(in.input()).clone();
                InputInfo info = inputs.get(in.input());
                if (!new TensorType(info.dtype(), Shapes.unboxed(info.shape())).accepts(s))
                    throw new TccException("input '" + info.name() + "' of type " + new TensorType(info.dtype(), Shapes.unboxed(info.shape()))
                            + " made at " + info.site() + " cannot take an array of shape " + TensorType.shapeString(s));
            } else {
                s = v.shape().eval(this, sh, v);
                TensorType t = new TensorType(v.dtype(), Shapes.unboxed(v.staticShape()));
                if (!t.accepts(s)) throw new TccException(v.site() + ": " + describe(v) + " would have shape "
                        + TensorType.shapeString(s) + " at run time, which its type does not allow");
            }
            sh[v.id()] = s;
        }
        return new Shapes(sh);
    }

    /**
     * Strides in elements of value {@code id} as stored in its buffer: C-order for a contiguous
     * value; for a {@link ShapeRule.Permute} view, its base's strides permuted (0 on new axes).
     */
    public long[] strides(int id, Shapes s) {
        Value v = values.get(id);
        if (v.contiguous()) return Shapes.cStrides(s.of(id));
        if (!(v.shape() instanceof ShapeRule.Permute perm))
            throw new IllegalStateException("value " + id + " is not contiguous but not a permute view either");
        long[] base = strides(perm.operand(), s);
        long[] st = new long[perm.pattern().size()];
        for (int i = 0; i < st.length; i++) st[i] = perm.pattern().get(i) < 0 ? 0 : base[perm.pattern().get(i)];
        return st;
    }

    /**
     * Strides of value {@code id} read over an iteration space of shape {@code iter} (numpy
     * broadcasting: leading missing axes and stretched size-1 axes get stride 0).
     */
    public long[] alignedStrides(int id, int[] iter, Shapes s) {
        int[] sh = s.of(id);
        long[] st = strides(id, s);
        long[] out = new long[iter.length];
        int off = iter.length - sh.length;
        for (int ax = 0; ax < sh.length; ax++) out[off + ax] = sh[ax] == 1 ? 0 : st[ax];
        return out;
    }

    /**
     * Bytes buffer {@code id} needs for this call: the largest value stored in it (0 for a buffer
     * no value of this call uses). For INPUT and SHARED buffers this is the bound array's size.
     */
    public long bufferBytes(int id, Shapes s) {
        long max = 0;
        for (Value v : values)
            if (v.buffer() == id && v.contiguous()) max = Math.max(max, s.size(v.id()) * v.dtype().size);
        return max;
    }

    /** Ids of the TEMP buffers. */
    public List<Integer> tempBuffers() {
        return buffers.stream().filter(Buffer::isTemp).map(Buffer::id).toList();
    }

    /** For messages: {@code 'xent' float32(?) made at Mlp.java:12}. */
    public static String describe(Value v) {
        return "'" + v.name() + "' " + new TensorType(v.dtype(), Shapes.unboxed(v.staticShape())) + " made at " + v.site();
    }

    // ---- JSON -----------------------------------------------------------------------------------

    /**
     * Jackson's mapper, made on first use: building one loads several hundred classes (≈ 0.3 s in
     * a fresh JVM), which a backend that schedules and runs a Program without writing it never needs.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The program as JSON (the Program manifest written beside the sources). */
    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize program '" + name + "'", e);
        }
    }

    /** Reads a program written by {@link #toJson()}; needs no optimizer, scheduler or graph. */
    public static Program fromJson(String json) {
        Program p;
        try {
            p = Json.MAPPER.readValue(json, Program.class);
        } catch (JsonProcessingException e) {
            throw new TccException("not a tcc Program manifest: " + e.getOriginalMessage(), e);
        }
        if (p.formatVersion() != FORMAT_VERSION) throw new TccException("Program manifest has format version "
                + p.formatVersion() + "; this tcc reads version " + FORMAT_VERSION + "; regenerate it");
        return p;
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    public static Program read(Path file) throws IOException {
        return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    }
}
