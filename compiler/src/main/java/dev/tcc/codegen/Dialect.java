package dev.tcc.codegen;

import dev.tcc.DType;
import dev.tcc.ops.ScalarOp;
import java.util.EnumMap;
import java.util.Map;

/**
 * The small table of differences between the two targets (tinygrad's idea): everything else —
 * the scalar program, the indexing, the kernel structure — is written once. Templates read these
 * through {@code d.*} (see {@link #model()}).
 *
 * <pre>
 *                      CUDA                              C
 *   kernel qualifier   extern "C" __global__             (none; exported)
 *   helper qualifier   static __device__ __forceinline__ static inline
 *   restrict           __restrict__                      restrict
 *   launch parameter   long long                         int64_t
 *   index type         int, or long long (_i64 entry)    int64_t
 *   exp (float32)      expf; __expf under fast math      expf (fast math by -ffast-math)
 *   inf / nan          __int_as_float(...)               INFINITY / NAN
 *   loop               grid-stride over threads          #pragma omp parallel for
 * </pre>
 * Literals are the same in both: {@code 1.5f} (float32), {@code 1.5} (float64), {@code 7LL} (int64).
 */
public final class Dialect {
    private final Target target;
    private final boolean fastMath;

    public Dialect(Target target, boolean fastMath) {
        this.target = target;
        this.fastMath = fastMath;
    }

    public Target target() { return target; }
    public boolean fastMath() { return fastMath; }
    public boolean cuda() { return target == Target.CUDA; }

    /** Element type in generated code (CUDA's prelude typedefs the stdint names). */
    public String type(DType d) { return d.cType; }

    public String restrict() { return cuda() ? "__restrict__" : "restrict"; }

    /** Qualifier of an exported kernel. */
    public String kernelQualifier() { return cuda() ? "extern \"C\" __global__ void __launch_bounds__(256)" : "void"; }

    /** Type of the int64 launch parameters. */
    public String paramType() { return cuda() ? "long long" : "int64_t"; }

    /** Suffix of helper functions for a compute dtype: f32, f64, i64. */
    public static String suffix(DType d) {
        return switch (d) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            default -> "i64";
        };
    }

    private static final Map<ScalarOp, String> MATH = new EnumMap<>(Map.ofEntries(
            Map.entry(ScalarOp.EXP, "exp"), Map.entry(ScalarOp.LOG, "log"), Map.entry(ScalarOp.LOG1P, "log1p"),
            Map.entry(ScalarOp.EXPM1, "expm1"), Map.entry(ScalarOp.SQRT, "sqrt"), Map.entry(ScalarOp.SIN, "sin"),
            Map.entry(ScalarOp.COS, "cos"), Map.entry(ScalarOp.TANH, "tanh"), Map.entry(ScalarOp.POW, "pow"),
            Map.entry(ScalarOp.FLOOR, "floor"), Map.entry(ScalarOp.CEIL, "ceil"), Map.entry(ScalarOp.ROUND, "rint"),
            Map.entry(ScalarOp.ABS, "fabs")));

    /** CUDA intrinsics used for float32 under fast math only (less accurate, much faster). */
    private static final Map<ScalarOp, String> FAST = new EnumMap<>(Map.of(
            ScalarOp.EXP, "__expf", ScalarOp.LOG, "__logf", ScalarOp.SIN, "__sinf", ScalarOp.COS, "__cosf",
            ScalarOp.POW, "__powf"));

    /** The libm function for {@code op} computed in float type {@code d}: expf / exp / __expf. */
    public String math(ScalarOp op, DType d) {
        String base = MATH.get(op);
        if (base == null) throw new IllegalArgumentException("no math function for " + op);
        if (d == DType.FLOAT64) return base;
        if (cuda() && fastMath && FAST.containsKey(op)) return FAST.get(op);
        return base + "f";
    }

    public String fmod(DType d) { return d == DType.FLOAT64 ? "fmod" : "fmodf"; }

    /** The same number as a literal of dtype {@code d}; {@code bits} is the exact integer value. */
    public String literal(DType d, double value, long bits) {
        switch (d) {
            case BOOL: return bits != 0 ? "true" : "false";
            case INT32: return bits == Integer.MIN_VALUE ? "(-2147483647 - 1)" : Long.toString(bits);
            case INT64: return bits == Long.MIN_VALUE ? "(-9223372036854775807LL - 1)" : bits + "LL";
            case FLOAT32: {
                float f = (float) value;
                if (Float.isNaN(f)) return "TCC_NAN_F";
                if (Float.isInfinite(f)) return f > 0 ? "TCC_INF_F" : "(-TCC_INF_F)";
                return Float.toString(f) + "f";
            }
            case FLOAT64: {
                if (Double.isNaN(value)) return "TCC_NAN";
                if (Double.isInfinite(value)) return value > 0 ? "TCC_INF" : "(-TCC_INF)";
                return Double.toString(value);
            }
            default: throw new AssertionError(d);
        }
    }

    public String inf(DType d) { return d == DType.FLOAT32 ? "TCC_INF_F" : "TCC_INF"; }

    /** What the templates see as {@code d}. */
    public Map<String, Object> model() {
        return Map.of(
                "cuda", cuda(),
                "restrict", restrict(),
                "kernel", kernelQualifier(),
                "param", paramType(),
                "fastMath", fastMath,
                "expf", math(ScalarOp.EXP, DType.FLOAT32), "exp", "exp",
                "log1pf", "log1pf", "logf", math(ScalarOp.LOG, DType.FLOAT32));
    }
}
