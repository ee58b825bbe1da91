package dev.tcc.codegen.program;

import dev.tcc.DType;
import dev.tcc.NDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * An array's contents as data: dtype, shape and the elements in C order as little-endian bytes,
 * base64-encoded (so that the record compares by value and serializes compactly).
 */
public record ConstantData(DType dtype, List<Integer> shape, String base64) {
    public ConstantData {
        shape = List.copyOf(shape);
    }

    public static ConstantData of(NDArray a) {
        ByteBuffer src = a.buffer();
        byte[] bytes = new byte[(int) a.byteSize()];
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = a.size();
        for (int i = 0; i < n; i++) {
            switch (a.dtype()) {
                case BOOL: le.put((byte) (a.getLongFlat(i) != 0 ? 1 : 0)); break;
                case INT32: le.putInt((int) a.getLongFlat(i)); break;
                case INT64: le.putLong(a.getLongFlat(i)); break;
                case FLOAT32: le.putFloat((float) a.getFlat(i)); break;
                case FLOAT64: le.putDouble(a.getFlat(i)); break;
                default: throw new AssertionError(a.dtype());
            }
        }
        assert src != null;
        return new ConstantData(a.dtype(), Shapes.boxed(a.shape()), Base64.getEncoder().encodeToString(bytes));
    }

    /** The elements as little-endian bytes in C order. */
    public byte[] bytes() { return Base64.getDecoder().decode(base64); }

    public NDArray toNDArray() {
        int[] s = Shapes.unboxed(shape);
        NDArray a = NDArray.zeros(dtype, s);
        ByteBuffer le = ByteBuffer.wrap(bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < a.size(); i++) {
            switch (dtype) {
                case BOOL: a.setLongFlat(i, le.get()); break;
                case INT32: a.setLongFlat(i, le.getInt()); break;
                case INT64: a.setLongFlat(i, le.getLong()); break;
                case FLOAT32: a.setFlat(i, le.getFloat()); break;
                case FLOAT64: a.setFlat(i, le.getDouble()); break;
                default: throw new AssertionError(dtype);
            }
        }
        return a;
    }
}
