package dev.tcc.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * A kernel's arguments, checked against its {@link KernelSignature} and converted to the widths it
 * declares. Integers must fit their parameter (a {@code long} that does not fit an {@code int}
 * parameter is refused, never truncated); a {@code float} parameter takes the nearest float of the
 * value. Pointers are {@link DeviceBuffer}s (or raw addresses as {@code Long} wrapped in
 * {@link #pointer(long)}).
 * <p>
 * {@link #image()} is the parameter space as the kernel sees it: each value at its natural
 * alignment, little-endian. It identifies the launch for CUDA-graph bookkeeping (a graph holds a
 * copy of the arguments taken when it was captured, so a changed pointer or size needs a new graph).
 */
public final class KernelArgs {
    private final KernelSignature signature;
    private final List<ParamType> types;
    private final long[] bits;          // raw value bits: address, int, long, float bits, double bits
    private final DeviceBuffer[] buffers; // the buffer behind a PTR argument, else null

    private KernelArgs(KernelSignature signature, long[] bits, DeviceBuffer[] buffers) {
        this.signature = signature;
        this.types = signature.types();
        this.bits = bits;
        this.buffers = buffers;
    }

    /** A raw device address as a pointer argument (for tests and for views into a buffer). */
    public static DeviceBuffer pointer(long address) {
        return new DeviceBuffer() {
            @Override public long address() { return address; }
            @Override public long bytes() { return 0; }
            @Override public String toString() { return "0x" + Long.toHexString(address); }
        };
    }

    /** Checks {@code values} against {@code signature} and packs them. */
    public static KernelArgs pack(KernelSignature signature, Object... values) {
        List<KernelSignature.Param> params = signature.params();
        if (values.length != params.size()) {
            throw new IllegalArgumentException("kernel " + signature.name() + " takes " + params.size() + " arguments "
                    + describe(signature) + ", but " + values.length + " were given");
        }
        long[] bits = new long[values.length];
        DeviceBuffer[] buffers = new DeviceBuffer[values.length];
        for (int i = 0; i < values.length; i++) {
            KernelSignature.Param p = params.get(i);
            Object v = values[i];
            String who = "argument " + i + " (" + p.cType() + " " + p.name() + ") of kernel " + signature.name();
            switch (p.type()) {
                case PTR -> {
                    if (!(v instanceof DeviceBuffer b)) throw new IllegalArgumentException(who + " must be a device buffer, not " + typeName(v));
                    buffers[i] = b;
                    bits[i] = b.address();
                }
                case I32 -> {
                    long x = integer(who, v);
                    boolean unsigned = p.cType().contains("unsigned") || p.cType().contains("uint");
                    long lo = unsigned ? 0 : Integer.MIN_VALUE, hi = unsigned ? 0xFFFF_FFFFL : Integer.MAX_VALUE;
                    if (x < lo || x > hi) throw new IllegalArgumentException(who + " is " + x + ", which does not fit a 32-bit "
                            + (unsigned ? "unsigned " : "") + "int");
                    bits[i] = x & 0xFFFF_FFFFL;
                }
                case I64 -> {
                    long x = integer(who, v);
                    if (x < 0 && (p.cType().contains("unsigned") || p.cType().contains("uint") || p.cType().contains("size_t"))) {
                        throw new IllegalArgumentException(who + " is " + x + ", but the parameter is unsigned");
                    }
                    bits[i] = x;
                }
                case F32 -> bits[i] = Float.floatToRawIntBits((float) real(who, v)) & 0xFFFF_FFFFL;
                case F64 -> bits[i] = Double.doubleToRawLongBits(real(who, v));
            }
        }
        return new KernelArgs(signature, bits, buffers);
    }

    private static long integer(String who, Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        throw new IllegalArgumentException(who + " must be an integer (Integer or Long), not " + typeName(v));
    }

    private static double real(String who, Object v) {
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException(who + " must be a number, not " + typeName(v));
    }

    private static String typeName(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName() + " " + v;
    }

    private static String describe(KernelSignature s) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < s.params().size(); i++) {
            if (i > 0) b.append(", ");
            b.append(s.params().get(i).cType()).append(' ').append(s.params().get(i).name());
        }
        return b.append(')').toString();
    }

    public KernelSignature signature() { return signature; }

    public int size() { return bits.length; }

    public ParamType type(int i) { return types.get(i); }

    /** The buffer behind pointer argument {@code i}, else null. */
    public DeviceBuffer buffer(int i) { return buffers[i]; }

    public int intValue(int i) { require(i, ParamType.I32); return (int) bits[i]; }

    public long longValue(int i) { require(i, ParamType.I64); return bits[i]; }

    public float floatValue(int i) { require(i, ParamType.F32); return Float.intBitsToFloat((int) bits[i]); }

    public double doubleValue(int i) { require(i, ParamType.F64); return Double.longBitsToDouble(bits[i]); }

    public long address(int i) { require(i, ParamType.PTR); return bits[i]; }

    private void require(int i, ParamType t) {
        if (types.get(i) != t) throw new IllegalStateException("argument " + i + " is " + types.get(i) + ", not " + t);
    }

    /** Byte offset of each parameter in the kernel's parameter space (natural alignment). */
    public static int[] offsets(List<ParamType> types) {
        int[] off = new int[types.size()];
        int pos = 0;
        for (int i = 0; i < off.length; i++) {
            int a = types.get(i).bytes;
            pos = (pos + a - 1) / a * a;
            off[i] = pos;
            pos += a;
        }
        return off;
    }

    /** The parameter space's total size (a multiple of the largest alignment). */
    public static int spaceSize(List<ParamType> types) {
        int end = 0, align = 1;
        int[] off = offsets(types);
        for (int i = 0; i < off.length; i++) {
            end = off[i] + types.get(i).bytes;
            align = Math.max(align, types.get(i).bytes);
        }
        return (end + align - 1) / align * align;
    }

    /** The parameter space as the kernel sees it, little-endian. */
    public byte[] image() {
        int[] off = offsets(types);
        ByteBuffer b = ByteBuffer.allocate(spaceSize(types)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < bits.length; i++) {
            if (types.get(i).bytes == 4) b.putInt(off[i], (int) bits[i]);
            else b.putLong(off[i], bits[i]);
        }
        return b.array();
    }

    @Override public boolean equals(Object o) {
        return o instanceof KernelArgs k && k.signature.equals(signature) && Arrays.equals(k.bits, bits);
    }

    @Override public int hashCode() { return signature.hashCode() * 31 + Arrays.hashCode(bits); }

    @Override public String toString() {
        StringBuilder b = new StringBuilder(signature.name()).append('(');
        for (int i = 0; i < bits.length; i++) {
            if (i > 0) b.append(", ");
            switch (types.get(i)) {
                case PTR -> b.append("0x").append(Long.toHexString(bits[i]));
                case I32 -> b.append((int) bits[i]);
                case I64 -> b.append(bits[i]);
                case F32 -> b.append(Float.intBitsToFloat((int) bits[i])).append('f');
                case F64 -> b.append(Double.longBitsToDouble(bits[i]));
            }
        }
        return b.append(')').toString();
    }
}
