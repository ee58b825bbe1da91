package dev.tcc;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A host tensor: a C-contiguous (row-major) array of one {@link DType}.
 *
 * <p>The elements live in a direct {@link ByteBuffer} in the platform's native byte order, so
 * native backends (JNA, JCuda) can hand its address to C or to {@code cuMemcpy} without a copy.
 * {@code BOOL} elements take one byte each, 0 or 1, like numpy's and C's {@code bool}.
 *
 * <p>Values convert between dtypes the way a C cast does: to float32 by rounding to nearest, to
 * an integer by truncating toward zero (Java saturates where C would be undefined), to bool by
 * {@code value != 0}.
 *
 * <p>The backing buffer is only ever accessed with absolute indices and bulk operations go
 * through duplicates, so its position stays 0 and arrays made by {@link #reshape} may share it.
 * An NDArray is not safe for concurrent writes.
 */
public final class NDArray {
    /** Summarize with "..." above this many elements, showing EDGE_ITEMS at each edge (numpy's defaults). */
    private static final int PRINT_THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;
    private static final int LINE_WIDTH = 75;
    /** Fractional digits numpy prints for array elements by default. */
    private static final int PRINT_PRECISION = 8;

    private final DType dtype;
    private final int[] shape;
    private final int size;
    private final ByteBuffer data;

    private NDArray(DType dtype, int[] shape, int size, ByteBuffer data) {
        this.dtype = dtype;
        this.shape = shape;
        this.size = size;
        this.data = data;
    }

    /** A new zero-filled array (direct buffers start zeroed). */
    private static NDArray allocate(DType dtype, int[] shape) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        int[] s = shape.clone();
        int n = checkedSize(s, dtype);
        ByteBuffer buf = ByteBuffer.allocateDirect(n * dtype.size).order(ByteOrder.nativeOrder());
        return new NDArray(dtype, s, n, buf);
    }

    /** Element count of a shape; refuses negative sizes and arrays a ByteBuffer cannot hold. */
    private static int checkedSize(int[] shape, DType dtype) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + shapeString(shape));
            n *= d;
            if (n * dtype.size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + shapeString(shape) + " of " + dtype
                        + " is too large: an NDArray holds at most " + Integer.MAX_VALUE + " bytes");
            }
        }
        return (int) n;
    }

    // ---------------------------------------------------------------- factories

    /**
     * An array over {@code data} itself, no copy: {@code data} must be a direct buffer with at least
     * {@code size × dtype.size} bytes remaining; the array uses those bytes, from its position, in
     * native byte order, and its contents are whatever they hold. For backends that hand out memory
     * they manage (the CPU backend reuses the memory of closed {@code Outputs}).
     */
    public static NDArray wrap(DType dtype, int[] shape, ByteBuffer data) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        int[] s = shape.clone();
        int n = checkedSize(s, dtype);
        if (!data.isDirect()) throw new IllegalArgumentException("NDArray.wrap needs a direct buffer");
        if (data.remaining() < (long) n * dtype.size)
            throw new IllegalArgumentException("a buffer of " + data.remaining() + " bytes cannot hold " + dtype + shapeString(s));
        ByteBuffer b = data.slice().limit(n * dtype.size).slice().order(ByteOrder.nativeOrder());
        return new NDArray(dtype, s, n, b);
    }


    public static NDArray zeros(DType dtype, int... shape) { return allocate(dtype, shape); }

    /** Uninitialised in numpy; here it is zero-filled. */
    public static NDArray empty(DType dtype, int... shape) { return allocate(dtype, shape); }

    public static NDArray ones(DType dtype, int... shape) { return full(dtype, 1.0, shape); }

    public static NDArray full(DType dtype, double value, int... shape) {
        NDArray a = allocate(dtype, shape);
        if (value != 0 || Double.doubleToRawLongBits(value) != 0) {   // -0.0 still needs writing
            for (int i = 0; i < a.size; i++) a.set(i, value);
        }
        return a;
    }

    /** A 1-d float64 array. */
    public static NDArray of(double[] values) {
        NDArray a = allocate(DType.FLOAT64, new int[] {values.length});
        for (int i = 0; i < values.length; i++) a.data.putDouble(i * 8, values[i]);
        return a;
    }

    /** A 1-d float32 array. */
    public static NDArray of(float[] values) {
        NDArray a = allocate(DType.FLOAT32, new int[] {values.length});
        for (int i = 0; i < values.length; i++) a.data.putFloat(i * 4, values[i]);
        return a;
    }

    /** A 2-d float64 array; rows must have equal lengths. No rows gives shape (0, 0). */
    public static NDArray of(double[][] rows) {
        int cols = rectangularColumns(rows.length, i -> rows[i] == null ? -1 : rows[i].length);
        NDArray a = allocate(DType.FLOAT64, new int[] {rows.length, cols});
        for (int r = 0; r < rows.length; r++)
            for (int c = 0; c < cols; c++) a.data.putDouble((r * cols + c) * 8, rows[r][c]);
        return a;
    }

    /** A 2-d float32 array; rows must have equal lengths. No rows gives shape (0, 0). */
    public static NDArray of(float[][] rows) {
        int cols = rectangularColumns(rows.length, i -> rows[i] == null ? -1 : rows[i].length);
        NDArray a = allocate(DType.FLOAT32, new int[] {rows.length, cols});
        for (int r = 0; r < rows.length; r++)
            for (int c = 0; c < cols; c++) a.data.putFloat((r * cols + c) * 4, rows[r][c]);
        return a;
    }

    private static int rectangularColumns(int nrows, IntFunction<Integer> rowLength) {
        int cols = 0;
        for (int r = 0; r < nrows; r++) {
            int len = rowLength.apply(r);
            if (len < 0) throw new IllegalArgumentException("row " + r + " is null");
            if (r == 0) cols = len;
            else if (len != cols) {
                throw new IllegalArgumentException("ragged rows: row " + r + " has " + len
                        + " elements but row 0 has " + cols + "; an NDArray must be rectangular");
            }
        }
        return cols;
    }

    /** A 1-d int32 array. */
    public static NDArray of(int[] values) {
        NDArray a = allocate(DType.INT32, new int[] {values.length});
        for (int i = 0; i < values.length; i++) a.data.putInt(i * 4, values[i]);
        return a;
    }

    /** A 1-d int64 array. */
    public static NDArray of(long[] values) {
        NDArray a = allocate(DType.INT64, new int[] {values.length});
        for (int i = 0; i < values.length; i++) a.data.putLong(i * 8, values[i]);
        return a;
    }

    /** A 1-d bool array. */
    public static NDArray of(boolean[] values) {
        NDArray a = allocate(DType.BOOL, new int[] {values.length});
        for (int i = 0; i < values.length; i++) a.data.put(i, (byte) (values[i] ? 1 : 0));
        return a;
    }

    /** A 0-d float64 array. */
    public static NDArray scalar(double value) { return scalar(DType.FLOAT64, value); }

    /** A 0-d array of {@code dtype} holding {@code value} converted to it. */
    public static NDArray scalar(DType dtype, double value) { return full(dtype, value); }

    /** An array of the given shape from C-order values, each converted to {@code dtype}. */
    public static NDArray fromFlat(DType dtype, int[] shape, double[] flat) {
        NDArray a = allocate(dtype, shape);
        if (flat.length != a.size) {
            throw new IllegalArgumentException("fromFlat: shape " + shapeString(shape) + " needs " + a.size
                    + " values, got " + flat.length);
        }
        for (int i = 0; i < flat.length; i++) a.set(i, flat[i]);
        return a;
    }

    // ---------------------------------------------------------------- accessors

    public DType dtype() { return dtype; }

    /** The shape (a copy). */
    public int[] shape() { return shape.clone(); }

    public int ndim() { return shape.length; }

    /** Number of elements: the product of the shape, 1 for a 0-d array. */
    public int size() { return size; }

    /** Size of one axis; a negative axis counts from the end. */
    public int shape(int axis) { return shape[normalizeAxis(axis)]; }

    public long byteSize() { return (long) size * dtype.size; }

    private int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException("axis " + axis + " is out of bounds for an array of dimension "
                    + shape.length + " (shape " + shapeString(shape) + ")");
        }
        return a;
    }

    // ---------------------------------------------------------------- element access

    /** The element at a full multi-index (none for a 0-d array); negative indices count from the end. */
    public double getDouble(int... index) { return get(flatIndex(index)); }

    public double getFlat(int i) { return get(checkFlat(i)); }

    /** Stores {@code v} converted to this array's dtype. */
    public void setFlat(int i, double v) { set(checkFlat(i), v); }

    /** The element as a long: exact for integer dtypes, truncated toward zero for floats. */
    public long getLongFlat(int i) { return getLong(checkFlat(i)); }

    /** Stores {@code v} converted to this array's dtype; exact for INT64. */
    public void setLongFlat(int i, long v) { setLong(checkFlat(i), v); }

    /** The value of an array with exactly one element (of any rank). */
    public double scalar() {
        if (size != 1) {
            throw new IllegalStateException("scalar() needs an array with one element, but this one has shape "
                    + shapeString(shape));
        }
        return get(0);
    }

    private int checkFlat(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("flat index " + i + " is out of bounds for shape "
                    + shapeString(shape) + " (size " + size + ")");
        }
        return i;
    }

    private int flatIndex(int[] index) {
        if (index == null) index = new int[0];
        if (index.length != shape.length) {
            throw new IndexOutOfBoundsException("index " + shapeString(index) + " has " + index.length
                    + " entries but the array has shape " + shapeString(shape));
        }
        int flat = 0;
        for (int k = 0; k < index.length; k++) {
            int i = index[k] < 0 ? index[k] + shape[k] : index[k];
            if (i < 0 || i >= shape[k]) {
                throw new IndexOutOfBoundsException("index " + shapeString(index) + " is out of bounds for shape "
                        + shapeString(shape));
            }
            flat = flat * shape[k] + i;
        }
        return flat;
    }

    private double get(int i) {
        return switch (dtype) {
            case BOOL -> data.get(i) != 0 ? 1.0 : 0.0;
            case INT32 -> data.getInt(i * 4);
            case INT64 -> data.getLong(i * 8);
            case FLOAT32 -> data.getFloat(i * 4);
            case FLOAT64 -> data.getDouble(i * 8);
        };
    }

    private void set(int i, double v) {
        switch (dtype) {
            case BOOL -> data.put(i, (byte) (v != 0 ? 1 : 0));     // NaN != 0, so NaN is true, as in C
            case INT32 -> data.putInt(i * 4, (int) v);
            case INT64 -> data.putLong(i * 8, (long) v);
            case FLOAT32 -> data.putFloat(i * 4, (float) v);
            case FLOAT64 -> data.putDouble(i * 8, v);
        }
    }

    private long getLong(int i) {
        return switch (dtype) {
            case BOOL -> data.get(i) != 0 ? 1 : 0;
            case INT32 -> data.getInt(i * 4);
            case INT64 -> data.getLong(i * 8);
            case FLOAT32 -> (long) data.getFloat(i * 4);
            case FLOAT64 -> (long) data.getDouble(i * 8);
        };
    }

    private void setLong(int i, long v) {
        switch (dtype) {
            case BOOL -> data.put(i, (byte) (v != 0 ? 1 : 0));
            case INT32 -> data.putInt(i * 4, (int) v);              // wraps, like a C cast on two's complement
            case INT64 -> data.putLong(i * 8, v);
            case FLOAT32 -> data.putFloat(i * 4, (float) v);        // one rounding, not long->double->float
            case FLOAT64 -> data.putDouble(i * 8, (double) v);
        }
    }

    // ---------------------------------------------------------------- conversions

    /** All elements in C order as doubles (int64 beyond 2^53 loses precision). */
    public double[] toDoubleArray() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) out[i] = get(i);
        return out;
    }

    public float[] toFloatArray() {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) out[i] = dtype == DType.INT64 ? (float) data.getLong(i * 8) : (float) get(i);
        return out;
    }

    public long[] toLongArray() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) out[i] = getLong(i);
        return out;
    }

    /** A new array with every element converted to {@code target}. */
    public NDArray astype(DType target) {
        if (target == dtype) return copy();
        NDArray a = allocate(target, shape);
        // Integer sources go through long so int64 values stay exact.
        if (dtype.isFloat()) for (int i = 0; i < size; i++) a.set(i, get(i));
        else for (int i = 0; i < size; i++) a.setLong(i, getLong(i));
        return a;
    }

    public NDArray copy() {
        NDArray a = allocate(dtype, shape);
        a.data.duplicate().put(data.duplicate());
        return a;
    }

    /** The same elements with another shape; one entry may be -1. The result may share this buffer. */
    public NDArray reshape(int... newShape) {
        int[] s = newShape.clone();
        int unknown = -1;
        long known = 1;
        for (int k = 0; k < s.length; k++) {
            if (s[k] == -1) {
                if (unknown >= 0) throw new IllegalArgumentException("can only specify one unknown dimension in reshape "
                        + shapeString(s));
                unknown = k;
            } else if (s[k] < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + shapeString(s));
            } else {
                known = Math.min(known * s[k], 1L << 32);      // capped: anything that big cannot match size
            }
        }
        if (unknown >= 0 && known != 0 && size % known == 0) s[unknown] = (int) (size / known);
        if (unknown >= 0 && s[unknown] == -1 || unknown < 0 && known != size) {
            throw new IllegalArgumentException("cannot reshape array of size " + size + " into shape "
                    + shapeString(newShape));
        }
        return new NDArray(dtype, s, size, data);
    }

    /** Copies {@code src}'s elements into this array; both must have the same shape and dtype. */
    public void copyFrom(NDArray src) {
        if (src.dtype != dtype || !Arrays.equals(src.shape, shape)) {
            throw new IllegalArgumentException("copyFrom: source is " + src.dtype + " " + shapeString(src.shape)
                    + " but target is " + dtype + " " + shapeString(shape));
        }
        data.duplicate().put(src.data.duplicate());
    }

    /** A view of the backing buffer, position 0, limit {@link #byteSize()}, native byte order. */
    public ByteBuffer buffer() { return data.duplicate().clear().order(ByteOrder.nativeOrder()); }

    // ---------------------------------------------------------------- comparison

    /**
     * numpy's {@code allclose}: {@code |a - b| <= atol + rtol * |b|} elementwise, NaNs equal where
     * both are NaN, infinities equal when they have the same sign. Returns false for other shapes.
     * Dtypes may differ.
     */
    public boolean allClose(NDArray other, double rtol, double atol) {
        if (!Arrays.equals(shape, other.shape)) return false;
        for (int i = 0; i < size; i++) {
            double a = get(i), b = other.get(i);
            if (a == b) continue;                                   // also equal infinities
            if (Double.isNaN(a) || Double.isNaN(b)) {
                if (Double.isNaN(a) && Double.isNaN(b)) continue;
                return false;
            }
            if (Double.isInfinite(a) || Double.isInfinite(b)) return false;
            if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) return false;
        }
        return true;
    }

    /** Equal when dtype, shape and every element's bytes are equal (so NaN equals NaN, 0.0 differs from -0.0). */
    @Override public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof NDArray a)) return false;
        return dtype == a.dtype && Arrays.equals(shape, a.shape) && buffer().equals(a.buffer());
    }

    @Override public int hashCode() {
        return (31 * dtype.ordinal() + Arrays.hashCode(shape)) * 31 + buffer().hashCode();
    }

    // ---------------------------------------------------------------- .npy files

    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy leaves room for the first axis to grow to this many digits (numpy.lib.format.GROWTH_AXIS_MAX_DIGITS). */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final int NPY_ALIGN = 64;

    private static String npyDescr(DType d) { return (d == DType.BOOL ? "|" : "<") + d.npyCode; }

    /** Writes this array in numpy's {@code .npy} format (version 1.0, or 2.0 if the header needs it), byte for byte as numpy does. */
    public void save(Path path) throws IOException {
        String header = "{'descr': '" + npyDescr(dtype) + "', 'fortran_order': False, 'shape': " + shapeString(shape) + ", }";
        if (shape.length > 0) header += " ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length());
        int major = 1;
        int lenBytes = 2;
        int hlen = header.length() + 1;                                   // + the final '\n'
        int padlen = NPY_ALIGN - ((NPY_MAGIC.length + 2 + lenBytes + hlen) % NPY_ALIGN);
        if (hlen + padlen > 0xFFFF) {
            major = 2;
            lenBytes = 4;
            padlen = NPY_ALIGN - ((NPY_MAGIC.length + 2 + lenBytes + hlen) % NPY_ALIGN);
        }
        byte[] text = (header + " ".repeat(padlen) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer pre = ByteBuffer.allocate(NPY_MAGIC.length + 2 + lenBytes + text.length).order(ByteOrder.LITTLE_ENDIAN);
        pre.put(NPY_MAGIC).put((byte) major).put((byte) 0);
        if (lenBytes == 2) pre.putShort((short) text.length); else pre.putInt(text.length);
        pre.put(text).flip();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, pre);
            ByteBuffer out = data.duplicate();
            if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {        // .npy data is little-endian
                out = ByteBuffer.allocateDirect(data.capacity()).put(data.duplicate()).clear();
                swapBytes(out, dtype);
            }
            writeFully(ch, out);
        }
    }

    /**
     * Reads a numpy {@code .npy} file (format 1.0, 2.0 or 3.0) holding a little-endian, C-order
     * array of float32, float64, int32, int64 or bool. Any other content gives an IOException
     * naming the file and the problem.
     */
    public static NDArray load(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer pre = readExactly(ch, path, 8, "the .npy magic and version");
            byte[] magic = new byte[NPY_MAGIC.length];
            pre.get(magic);
            if (!Arrays.equals(magic, NPY_MAGIC)) throw npyError(path, "not a .npy file (bad magic string)");
            int major = pre.get() & 0xFF, minor = pre.get() & 0xFF;
            if (major < 1 || major > 3) throw npyError(path, "unsupported .npy format version " + major + "." + minor);
            int lenBytes = major == 1 ? 2 : 4;
            ByteBuffer lenBuf = readExactly(ch, path, lenBytes, "the header length").order(ByteOrder.LITTLE_ENDIAN);
            long hlen = lenBytes == 2 ? (lenBuf.getShort() & 0xFFFF) : (lenBuf.getInt() & 0xFFFFFFFFL);
            long dataStart = 8 + lenBytes + hlen;
            if (hlen > (1 << 24)) throw npyError(path, "malformed header: implausible header length " + hlen);
            if (dataStart > fileSize) {
                throw npyError(path, "truncated header: it should be " + hlen + " bytes but the file has "
                        + fileSize + " bytes in all");
            }
            ByteBuffer hb = readExactly(ch, path, (int) hlen, "the header");
            byte[] hbytes = new byte[(int) hlen];
            hb.get(hbytes);
            String header = new String(hbytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

            Map<String, Object> dict = new HeaderParser(header, path).parseDict();
            for (String key : List.of("descr", "fortran_order", "shape")) {
                if (!dict.containsKey(key)) throw npyError(path, "header lacks '" + key + "': " + header.strip());
            }
            if (dict.size() != 3) throw npyError(path, "header has unexpected keys " + dict.keySet() + ": " + header.strip());
            Object descr = dict.get("descr");
            DType dtype = null;
            for (DType d : DType.values()) if (npyDescr(d).equals(descr)) dtype = d;
            if (dtype == null) {
                throw npyError(path, "unsupported dtype " + (descr instanceof String ? "'" + descr + "'" : String.valueOf(descr))
                        + "; tcc reads <f4, <f8, <i4, <i8 and |b1");
            }
            if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
                throw npyError(path, "malformed header: fortran_order is " + dict.get("fortran_order") + ": " + header.strip());
            }
            if (!(dict.get("shape") instanceof int[] shape)) {
                throw npyError(path, "malformed header: shape is " + dict.get("shape") + ": " + header.strip());
            }
            // For 0-d and 1-d arrays Fortran order is the same layout as C order.
            if (fortran && shape.length > 1) {
                throw npyError(path, "Fortran-order arrays are not supported; save np.ascontiguousarray(a) instead");
            }
            NDArray a;
            try {
                a = allocate(dtype, shape);
            } catch (IllegalArgumentException e) {
                throw npyError(path, e.getMessage());
            }
            long available = fileSize - dataStart;
            if (available < a.byteSize()) {
                throw npyError(path, "truncated data: shape " + shapeString(shape) + " of " + dtype + " needs "
                        + a.byteSize() + " bytes but only " + available + " follow the header");
            }
            readFully(ch, path, a.data.duplicate(), "the data");
            if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) swapBytes(a.data, dtype);
            if (dtype == DType.BOOL) {                       // keep bools canonical 0/1 so equals() holds
                for (int i = 0; i < a.size; i++) if (a.data.get(i) != 0) a.data.put(i, (byte) 1);
            }
            return a;
        }
    }

    private static IOException npyError(Path path, String what) { return new IOException(path + ": " + what); }

    private static ByteBuffer readExactly(FileChannel ch, Path path, int n, String what) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        readFully(ch, path, b, what);
        return b.flip();
    }

    private static void readFully(FileChannel ch, Path path, ByteBuffer dst, String what) throws IOException {
        while (dst.hasRemaining()) {
            if (ch.read(dst) < 0) {
                throw npyError(path, "truncated file: it ends inside " + what + " (file has " + ch.size() + " bytes)");
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    /** Reverses the bytes of every element in place (absolute access), for big-endian hosts. */
    private static void swapBytes(ByteBuffer b, DType dtype) {
        for (int i = 0; i + dtype.size <= b.capacity(); i += dtype.size) {
            if (dtype.size == 4) b.putInt(i, Integer.reverseBytes(b.getInt(i)));
            else if (dtype.size == 8) b.putLong(i, Long.reverseBytes(b.getLong(i)));
        }
    }

    /** Parses the Python dict literal of a .npy header: string, bool and int-tuple values. */
    private static final class HeaderParser {
        private final String s;
        private final Path path;
        private int pos;

        HeaderParser(String s, Path path) { this.s = s; this.path = path; }

        Map<String, Object> parseDict() throws IOException {
            Map<String, Object> out = new LinkedHashMap<>();
            skipSpace();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') { pos++; break; }
                Object key = parseValue();
                if (!(key instanceof String k)) throw malformed("dictionary key is not a string");
                skipSpace();
                expect(':');
                skipSpace();
                out.put(k, parseValue());
                skipSpace();
                if (peek() == ',') pos++;
                else if (peek() != '}') throw malformed("expected ',' or '}'");
            }
            skipSpace();
            if (pos != s.length()) throw malformed("unexpected text after the dictionary");
            return out;
        }

        /** A string, a bool, an int[] (from a tuple of ints) or, for anything else, its raw text. */
        private Object parseValue() throws IOException {
            char c = peek();
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, pos + 1);
                if (end < 0) throw malformed("unterminated string");
                String v = s.substring(pos + 1, end);
                pos = end + 1;
                return v;
            }
            if (s.startsWith("True", pos)) { pos += 4; return Boolean.TRUE; }
            if (s.startsWith("False", pos)) { pos += 5; return Boolean.FALSE; }
            if (c == '(') return parseTuple();
            if (c == '[' || c == '{') return rawBracketed();
            throw malformed("unexpected value");
        }

        private int[] parseTuple() throws IOException {
            expect('(');
            List<Integer> dims = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') { pos++; break; }
                int start = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
                if (start == pos) throw malformed("shape entries must be non-negative integers");
                long v;
                try {
                    v = Long.parseLong(s.substring(start, pos));
                } catch (NumberFormatException e) {
                    v = Long.MAX_VALUE;
                }
                if (v > Integer.MAX_VALUE) throw malformed("dimension " + s.substring(start, pos) + " is too large");
                dims.add((int) v);
                if (peek() == 'L') pos++;                  // Python 2 longs: (3L, 4L)
                skipSpace();
                if (peek() == ',') pos++;
                else if (peek() != ')') throw malformed("expected ',' or ')' in shape");
            }
            return dims.stream().mapToInt(Integer::intValue).toArray();
        }

        private String rawBracketed() throws IOException {
            int start = pos, depth = 0;
            do {
                char c = peek();
                if (c == '[' || c == '(' || c == '{') depth++;
                else if (c == ']' || c == ')' || c == '}') depth--;
                pos++;
            } while (depth > 0);
            return s.substring(start, pos);
        }

        private char peek() throws IOException {
            if (pos >= s.length()) throw malformed("header ends early");
            return s.charAt(pos);
        }

        private void expect(char c) throws IOException {
            if (peek() != c) throw malformed("expected '" + c + "'");
            pos++;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        private IOException malformed(String what) {
            return npyError(path, "malformed header (" + what + " at character " + pos + "): " + s.strip());
        }
    }

    // ---------------------------------------------------------------- printing

    /** A shape (or index) as Python writes a tuple: {@code (2, 3)}, {@code (3,)}, {@code ()}. */
    public static String shapeString(int... shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder b = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) b.append(k > 0 ? ", " : "").append(shape[k]);
        return b.append(')').toString();
    }

    /**
     * Like numpy's {@code str(a)} with default print options: {@code [[1. 2.]\n [3. 4.]]},
     * {@code [1 2 3]}, {@code [ True False]}; a 0-d array prints as its scalar ({@code 3.0}); more
     * than 1000 elements are summarized with {@code ...}.
     */
    @Override public String toString() {
        if (shape.length == 0) return scalarString();
        if (size == 0) return "[]";
        boolean summarize = size > PRINT_THRESHOLD;
        // numpy sizes the columns from the elements it shows, not from the hidden ones.
        int[] shown = shownElements(summarize);
        IntFunction<String> fmt;
        if (dtype.isFloat()) {
            double[] vals = new double[shown.length];
            for (int k = 0; k < shown.length; k++) vals[k] = get(shown[k]);
            FloatFormat ff = new FloatFormat(vals, dtype == DType.FLOAT32);
            fmt = i -> ff.format(get(i));
        } else if (dtype == DType.BOOL) {
            fmt = i -> data.get(i) != 0 ? " True" : "False";
        } else {
            int width = 0;
            for (int i : shown) width = Math.max(width, Long.toString(getLong(i)).length());
            int w = width;
            fmt = i -> padLeft(Long.toString(getLong(i)), w);
        }
        int[] strides = new int[shape.length];
        for (int k = shape.length - 1, st = 1; k >= 0; st *= shape[k], k--) strides[k] = st;
        return formatArray(0, 0, " ", LINE_WIDTH, strides, fmt, summarize);
    }

    private String scalarString() {
        return switch (dtype) {
            case BOOL -> data.get(0) != 0 ? "True" : "False";
            case INT32, INT64 -> Long.toString(getLong(0));
            case FLOAT32, FLOAT64 -> floatScalarString(get(0), dtype == DType.FLOAT32);
        };
    }

    /** Flat indices of the elements numpy would print: all, or the first and last EDGE_ITEMS along each long axis. */
    private int[] shownElements(boolean summarize) {
        List<Integer> out = new ArrayList<>();
        collectShown(0, 0, summarize, out);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private void collectShown(int axis, int offset, boolean summarize, List<Integer> out) {
        if (axis == shape.length) { out.add(offset); return; }
        int stride = 1;
        for (int k = axis + 1; k < shape.length; k++) stride *= shape[k];
        int n = shape[axis];
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE_ITEMS && i == EDGE_ITEMS) i = n - EDGE_ITEMS;
            collectShown(axis + 1, offset + i * stride, summarize, out);
        }
    }

    /** A port of numpy's {@code _formatArray} (arrayprint.py) with separator ' ' and no legacy mode. */
    private String formatArray(int axis, int offset, String hanging, int width, int[] strides,
                               IntFunction<String> fmt, boolean summarize) {
        if (axis == shape.length) return fmt.apply(offset);
        String nextHanging = hanging + " ";
        int nextWidth = width - 1;                          // room for the closing ']'
        int n = shape[axis], stride = strides[axis];
        boolean showSummary = summarize && 2 * EDGE_ITEMS < n;
        int leading = showSummary ? EDGE_ITEMS : 0;
        int trailing = showSummary ? EDGE_ITEMS : n;
        StringBuilder s = new StringBuilder();
        if (axis == shape.length - 1) {
            int elemWidth = width - 1;
            String line = hanging;
            for (int i = 0; i < leading; i++) {
                line = extendLine(s, line, formatArray(axis + 1, offset + i * stride, nextHanging, nextWidth, strides, fmt, summarize),
                        elemWidth, hanging) + " ";
            }
            if (showSummary) line = extendLine(s, line, "...", elemWidth, hanging) + " ";
            for (int i = trailing; i > 1; i--) {
                line = extendLine(s, line, formatArray(axis + 1, offset + (n - i) * stride, nextHanging, nextWidth, strides, fmt, summarize),
                        elemWidth, hanging) + " ";
            }
            line = extendLine(s, line, formatArray(axis + 1, offset + (n - 1) * stride, nextHanging, nextWidth, strides, fmt, summarize),
                    elemWidth, hanging);
            s.append(line);
        } else {
            String lineSep = "\n".repeat(shape.length - axis - 1);
            for (int i = 0; i < leading; i++) {
                s.append(hanging).append(formatArray(axis + 1, offset + i * stride, nextHanging, nextWidth, strides, fmt, summarize))
                        .append(lineSep);
            }
            if (showSummary) s.append(hanging).append("...").append(lineSep);
            for (int i = trailing; i > 1; i--) {
                s.append(hanging).append(formatArray(axis + 1, offset + (n - i) * stride, nextHanging, nextWidth, strides, fmt, summarize))
                        .append(lineSep);
            }
            s.append(hanging).append(formatArray(axis + 1, offset + (n - 1) * stride, nextHanging, nextWidth, strides, fmt, summarize));
        }
        return "[" + s.substring(hanging.length()) + "]";
    }

    /** numpy's {@code _extendLine}: wraps before {@code word} if the line would pass {@code width}, unless that would not help. */
    private static String extendLine(StringBuilder s, String line, String word, int width, String nextPrefix) {
        boolean needsWrap = line.length() + word.length() > width && line.length() > nextPrefix.length();
        if (needsWrap) {
            s.append(line.stripTrailing()).append('\n');
            line = nextPrefix;
        }
        return line + word;
    }

    private static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    private static String padRight(String s, int width, char c) {
        return s.length() >= width ? s : s + String.valueOf(c).repeat(width - s.length());
    }

    /** numpy's str() of a float scalar: positional in [1e-4, 1e16) (float32: [1e-4, 1e6)) and for 0, else scientific. */
    static String floatScalarString(double x, boolean f32) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x < 0 ? "-inf" : "inf";
        double ax = Math.abs(x);
        String sign = signBit(x) ? "-" : "";
        if (ax == 0 || (ax >= 1e-4 && ax < (f32 ? 1e6 : 1e16))) {
            String[] p = positional(ax, f32, -1);
            return sign + p[0] + "." + (p[1].isEmpty() ? "0" : p[1]);
        }
        Sci e = scientific(ax, f32, -1);
        return sign + e.first + (e.frac.isEmpty() ? "" : "." + e.frac) + "e" + e.expString(2);
    }

    private static boolean signBit(double x) { return Double.doubleToRawLongBits(x) < 0; }

    /**
     * The shortest decimal that reads back as {@code ax} (as a float32 when {@code f32}); among
     * decimals of that length, the nearest. This is what numpy's Dragon4 prints in "unique" mode.
     */
    private static BigDecimal shortest(double ax, boolean f32) {
        if (ax == 0) return BigDecimal.ZERO;
        BigDecimal exact = new BigDecimal(ax);
        for (int p = 1; p < 17; p++) {
            BigDecimal c = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            boolean same = f32 ? Float.parseFloat(c.toString()) == (float) ax : Double.parseDouble(c.toString()) == ax;
            if (same) return c;
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }

    /**
     * {@code ax >= 0} in positional notation with its shortest digits, rounded to at most
     * {@code maxFrac} fractional digits when {@code maxFrac >= 0}; trailing zeros removed.
     * Returns {integer part, fraction digits}.
     */
    private static String[] positional(double ax, boolean f32, int maxFrac) {
        BigDecimal d = shortest(ax, f32);
        if (maxFrac >= 0 && d.scale() > maxFrac) d = new BigDecimal(ax).setScale(maxFrac, RoundingMode.HALF_EVEN);
        String plain = d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        int dot = plain.indexOf('.');
        return dot < 0 ? new String[] {plain, ""} : new String[] {plain.substring(0, dot), plain.substring(dot + 1)};
    }

    /** A number in scientific notation: first digit, fraction digits (trailing zeros removed), exponent. */
    private record Sci(String first, String frac, int exp) {
        String expString(int minDigits) {
            return (exp < 0 ? "-" : "+") + padLeft(Integer.toString(Math.abs(exp)), minDigits).replace(' ', '0');
        }
    }

    /** {@code ax >= 0} in scientific notation, shortest digits, at most {@code maxFrac} fraction digits when {@code maxFrac >= 0}. */
    private static Sci scientific(double ax, boolean f32, int maxFrac) {
        BigDecimal d = shortest(ax, f32);
        if (d.signum() == 0) return new Sci("0", "", 0);
        if (maxFrac >= 0 && d.precision() > maxFrac + 1) d = new BigDecimal(ax).round(new MathContext(maxFrac + 1, RoundingMode.HALF_EVEN));
        d = d.stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        return new Sci(digits.substring(0, 1), digits.substring(1), exp);
    }

    /** {@code ax >= 0} in scientific notation with exactly {@code fracDigits} fraction digits of its exact value, rounded. */
    private static Sci scientificFixed(double ax, int fracDigits) {
        if (ax == 0) return new Sci("0", "0".repeat(fracDigits), 0);
        BigDecimal d = new BigDecimal(ax).round(new MathContext(fracDigits + 1, RoundingMode.HALF_EVEN));
        String digits = padRight(d.unscaledValue().toString(), fracDigits + 1, '0');
        int exp = d.precision() - 1 - d.scale();
        return new Sci(digits.substring(0, 1), digits.substring(1, fracDigits + 1), exp);
    }

    /**
     * numpy's {@code FloatingFormat} for the default print options (precision 8, floatmode
     * 'maxprec', sign '-', suppress False): one layout for all elements, chosen from the values shown.
     */
    private static final class FloatFormat {
        private final boolean f32;
        private boolean exp;
        private int padLeft, padRight, precision, expSize;

        FloatFormat(double[] vals, boolean f32) {
            this.f32 = f32;
            List<Double> finite = new ArrayList<>();
            double maxAbs = 0, minAbs = Double.POSITIVE_INFINITY;
            boolean negInf = false;
            for (double v : vals) {
                if (Double.isFinite(v)) {
                    finite.add(v);
                    if (v != 0) {
                        maxAbs = Math.max(maxAbs, Math.abs(v));
                        minAbs = Math.min(minAbs, Math.abs(v));
                    }
                } else if (v == Double.NEGATIVE_INFINITY) {
                    negInf = true;
                }
            }
            if (maxAbs > 0) {
                // numpy 2 compares a float32 array's extremes in float32 (Python floats are weak
                // scalars), and since numpy 2.3 switches float32 to exponents from 1e6
                // (10 ** min(8, finfo(float32).precision)) rather than 1e8.
                exp = f32 ? (float) maxAbs >= 1e6f || (float) minAbs < 1e-4f || (float) maxAbs / (float) minAbs > 1000f
                          : maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1000.0;
            }
            if (finite.isEmpty()) {
                exp = false;
            } else if (exp) {
                int expLen = 0;
                for (double v : finite) {
                    Sci s = scientific(Math.abs(v), f32, PRINT_PRECISION);
                    padLeft = Math.max(padLeft, s.first.length() + (signBit(v) ? 1 : 0));
                    precision = Math.max(precision, s.frac.length());
                    expLen = Math.max(expLen, s.expString(2).length());
                }
                expSize = expLen - 1;                          // digits, without the exponent's sign
                padRight = expSize + 2 + precision;
            } else {
                for (double v : finite) {
                    String[] p = positional(Math.abs(v), f32, PRINT_PRECISION);
                    padLeft = Math.max(padLeft, p[0].length() + (signBit(v) ? 1 : 0));
                    padRight = Math.max(padRight, p[1].length());
                }
            }
            if (finite.size() != vals.length) {               // leave room for "nan", "inf", "-inf"
                int offset = padRight + 1;
                padLeft = Math.max(padLeft, Math.max(3 - offset, 3 + (negInf ? 1 : 0) - offset));
            }
        }

        String format(double x) {
            if (!Double.isFinite(x)) {
                String r = Double.isNaN(x) ? "nan" : x < 0 ? "-inf" : "inf";
                return padLeft(r, padLeft + padRight + 1);
            }
            String sign = signBit(x) ? "-" : "";
            if (exp) {
                // numpy asks Dragon4 for at least `precision` fraction digits; past the shortest
                // unique ones it prints further true digits of the value, not zeros.
                Sci s = scientificFixed(Math.abs(x), precision);
                return padLeft(sign + s.first, padLeft) + "." + s.frac + "e" + s.expString(expSize);
            }
            String[] p = positional(Math.abs(x), f32, PRINT_PRECISION);
            return padLeft(sign + p[0], padLeft) + "." + padRight(p[1], padRight, ' ');
        }
    }
}
