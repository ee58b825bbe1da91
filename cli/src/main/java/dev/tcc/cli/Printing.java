package dev.tcc.cli;

import dev.tcc.DType;
import dev.tcc.NDArray;
import java.io.PrintWriter;
import java.util.Locale;

/** How the commands print arrays: numpy's str() for small ones, with a statistics line for large ones. */
final class Printing {
    private Printing() {}

    /** numpy prints at most this many elements before it summarizes with "...". */
    static final int NUMPY_THRESHOLD = 1000;

    /** {@code d = 3.1048062} for a 0-d array; {@code name: float32 (2, 2)} then the array otherwise. */
    static void value(PrintWriter out, String label, NDArray a) {
        if (a.ndim() == 0) {
            out.println(label + " = " + a);
            return;
        }
        out.println(label + ": " + a.dtype() + " " + NDArray.shapeString(a.shape()));
        out.println(a);
        if (a.size() > NUMPY_THRESHOLD) out.println("  (" + stats(a) + ")");
    }

    /** One line: the value itself when small, else dtype, shape and statistics. */
    static void brief(PrintWriter out, String label, NDArray a, int maxElements) {
        if (a.ndim() == 0) out.println(label + " = " + a);
        else if (a.size() <= maxElements && !a.toString().contains("\n")) out.println(label + " = " + a);
        else out.println(label + ": " + a.dtype() + " " + NDArray.shapeString(a.shape()) + "  " + stats(a));
    }

    static String stats(NDArray a) {
        if (a.size() == 0) return "empty";
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0;
        long nan = 0;
        for (int i = 0; i < a.size(); i++) {
            double v = a.getFlat(i);
            if (Double.isNaN(v)) { nan++; continue; }
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        long n = a.size() - nan;
        if (n == 0) return "all " + a.size() + " elements NaN";
        String s;
        if (a.dtype() == DType.BOOL) s = String.format(Locale.ROOT, "%d of %d true", (long) sum, a.size());
        else s = String.format(Locale.ROOT, "min %s  max %s  mean %s", num(min), num(max), num(n == 0 ? Double.NaN : sum / n));
        return nan > 0 ? s + "  (" + nan + " NaN)" : s;
    }

    private static String num(double v) { return String.format(Locale.ROOT, "%.6g", v); }

    /** Seconds as a short human string: 850 µs, 12.3 ms, 4.56 s. */
    static String time(double seconds) {
        if (seconds < 1e-3) return String.format(Locale.ROOT, "%.1f µs", seconds * 1e6);
        if (seconds < 1) return String.format(Locale.ROOT, "%.2f ms", seconds * 1e3);
        return String.format(Locale.ROOT, "%.2f s", seconds);
    }
}
