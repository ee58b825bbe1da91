package dev.tcc.ops;

import dev.tcc.DType;
import dev.tcc.NDArray;

/** Copies a strided view of an array into a new C-contiguous array (shared by the shape ops). */
final class Strided {
    private Strided() {}

    static NDArray gather(NDArray src, DType dtype, int[] shape, long[] strides, long offset) {
        NDArray out = NDArray.zeros(dtype, shape);
        int n = Broadcasting.size(shape);
        int[] idx = new int[shape.length];
        long off = offset;
        boolean exact = !dtype.isFloat();
        for (int flat = 0; flat < n; flat++) {
            if (exact) out.setLongFlat(flat, src.getLongFlat((int) off));
            else out.setFlat(flat, src.getFlat((int) off));
            for (int ax = shape.length - 1; ax >= 0; ax--) {
                idx[ax]++;
                off += strides[ax];
                if (idx[ax] < shape[ax]) break;
                off -= strides[ax] * shape[ax];
                idx[ax] = 0;
            }
        }
        return out;
    }
}
