package dev.tcc.lang;

import static dev.tcc.lang.Builtin.many;
import static dev.tcc.lang.Builtin.p;
import static dev.tcc.lang.Builtin.sig;

import dev.tcc.Config;
import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.Rng;
import dev.tcc.SharedVar;
import dev.tcc.T;
import dev.tcc.TccException;
import dev.tcc.Var;
import dev.tcc.ir.Site;
import dev.tcc.lang.Builtin.Overload;
import dev.tcc.lang.Values.Kind;
import dev.tcc.ops.ScalarOp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The names a {@code .graph} file may call, as explicit tables: free functions (mirroring {@link T}
 * and the host helpers), and the methods of each kind of value. {@code x.f(args)} on a tensor means
 * {@code f(x, args)} for every function that takes a tensor first, plus {@code x.T()} and
 * {@code x.named("n")}.
 */
final class Builtins {
    private Builtins() {}

    static final Map<String, Builtin> FUNCTIONS = new LinkedHashMap<>();
    static final Map<String, Builtin> TENSOR_METHODS = new LinkedHashMap<>();
    static final Map<String, Builtin> RNG_METHODS = new LinkedHashMap<>();
    static final Map<String, Builtin> ARRAY_METHODS = new LinkedHashMap<>();
    static final Map<String, Builtin> LIST_METHODS = new LinkedHashMap<>();
    static final Map<String, Builtin> FUNCTION_METHODS = new LinkedHashMap<>();
    /** dtype names usable wherever a dtype goes. */
    static final Map<String, DType> DTYPES = new LinkedHashMap<>();

    private static final Kind TENSOR = Kind.TENSOR, OPERAND = Kind.OPERAND, NUMBER = Kind.NUMBER, INT = Kind.INT,
            BOOL = Kind.BOOL, STRING = Kind.STRING, DTYPE = Kind.DTYPE, ARRAY = Kind.ARRAY;

    private static void def(Map<String, Builtin> table, String name, String doc, Overload... overloads) {
        if (table.put(name, new Builtin(name, doc, List.of(overloads))) != null) throw new IllegalStateException("duplicate " + name);
    }

    private static void fn(String name, String doc, Overload... overloads) { def(FUNCTIONS, name, doc, overloads); }

    private static DType floatX() { return Config.get().floatX(); }

    /** A binary op on tensors and numbers; two plain numbers are computed right away. */
    static Object binary(ScalarOp op, Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) return HostMath.binary(op, x, y);
        return T.elemwise(op, a, b);
    }

    private static void unary(String name, String doc, Function<Var, Var> f) {
        fn(name, doc, sig(a -> f.apply(a.var(0)), p("x", TENSOR)));
    }

    private static void binaryFn(String name, String doc, ScalarOp op) {
        fn(name, doc, sig(a -> binary(op, a.operand(0), a.operand(1)), p("a", OPERAND), p("b", OPERAND)));
    }

    private interface Reduction { Var apply(Var x, int[] axes, boolean keepdims); }

    private static void reduction(String name, String doc, Reduction r) {
        fn(name, doc,
                sig(a -> r.apply(a.var(0), a.ints(1, a.size() - 1), a.bool(a.size() - 1)), p("x", TENSOR), many("axis", INT), p("keepdims", BOOL)),
                sig(a -> r.apply(a.var(0), a.ints(1), false), p("x", TENSOR), many("axis", INT)));
    }

    private interface InputMaker { Var make(String name, DType dtype); }

    private static void input(String name, String doc, InputMaker m) {
        fn(name, doc,
                sig(a -> m.make(a.str(0), a.dtype(1)), p("name", STRING), p("dtype", DTYPE)),
                sig(a -> m.make(a.str(0), floatX()), p("name", STRING)),
                sig(a -> m.make(null, a.dtype(0)), p("dtype", DTYPE)),
                sig(a -> m.make(null, floatX())));
    }

    static {
        for (DType d : DType.values()) DTYPES.put(d.numpyName(), d);

        // ---- inputs, constants, shared variables --------------------------------------------------
        input("scalar", "a 0-d input", T::scalar);
        input("vector", "a 1-d input", T::vector);
        input("matrix", "a 2-d input", T::matrix);
        input("tensor3", "a 3-d input", T::tensor3);
        input("tensor4", "a 4-d input", T::tensor4);
        fn("row", "a matrix input whose first axis has size 1 (broadcastable)", sig(a -> T.row(a.str(0)), p("name", STRING)));
        fn("col", "a matrix input whose second axis has size 1 (broadcastable)", sig(a -> T.col(a.str(0)), p("name", STRING)));
        fn("tensor", "an input of any rank",
                sig(a -> T.tensor(a.str(0), a.dtype(1), a.integer(2)), p("name", STRING), p("dtype", DTYPE), p("ndim", INT)));
        fn("constant", "a constant tensor (a number is floatX unless a dtype is given)",
                sig(a -> a.get(0) instanceof NDArray arr ? T.constant(arr.astype(a.dtype(1))) : T.constant(a.dbl(0), a.dtype(1)),
                        p("value", ARRAY), p("dtype", DTYPE)),
                sig(a -> a.get(0) instanceof NDArray arr ? T.constant(arr) : T.constant(a.dbl(0)), p("value", ARRAY)));
        fn("shared", "a shared variable: its value persists between calls (a number makes a floatX scalar)",
                sig(a -> a.ctx.addShared(new SharedVar(a.array(0, a.dtype(2)).astype(a.dtype(2)), a.str(1), Site.here())),
                        p("value", ARRAY), p("name", STRING), p("dtype", DTYPE)),
                sig(a -> a.ctx.addShared(new SharedVar(a.array(0, floatX()), a.str(1), Site.here())), p("value", ARRAY), p("name", STRING)),
                sig(a -> a.ctx.addShared(new SharedVar(a.array(0, floatX()), null, Site.here())), p("value", ARRAY)));

        // ---- elementwise ----------------------------------------------------------------------------
        unary("neg", "-x", T::neg);
        unary("abs", "|x|", T::abs);
        unary("sign", "-1, 0 or 1", T::sign);
        unary("exp", "e^x", T::exp);
        unary("log", "natural logarithm", T::log);
        unary("log1p", "log(1 + x)", T::log1p);
        unary("expm1", "e^x - 1", T::expm1);
        unary("sqrt", "square root", T::sqrt);
        unary("sqr", "x * x", T::sqr);
        unary("sin", "sine", T::sin);
        unary("cos", "cosine", T::cos);
        unary("tanh", "hyperbolic tangent", T::tanh);
        unary("sigmoid", "1 / (1 + e^-x)", T::sigmoid);
        unary("softplus", "log(1 + e^x)", T::softplus);
        unary("relu", "max(x, 0)", T::relu);
        unary("floor", "round down", T::floor);
        unary("ceil", "round up", T::ceil);
        unary("round", "round half to even", T::round);
        unary("not", "logical not (!x)", T::not);
        binaryFn("add", "a + b", ScalarOp.ADD);
        binaryFn("sub", "a - b", ScalarOp.SUB);
        binaryFn("mul", "a * b", ScalarOp.MUL);
        binaryFn("div", "a / b (true division)", ScalarOp.DIV);
        binaryFn("mod", "a % b (the result takes b's sign)", ScalarOp.MOD);
        binaryFn("pow", "a to the power b", ScalarOp.POW);
        binaryFn("maximum", "elementwise maximum", ScalarOp.MAXIMUM);
        binaryFn("minimum", "elementwise minimum", ScalarOp.MINIMUM);
        binaryFn("gt", "a > b", ScalarOp.GT);
        binaryFn("ge", "a >= b", ScalarOp.GE);
        binaryFn("lt", "a < b", ScalarOp.LT);
        binaryFn("le", "a <= b", ScalarOp.LE);
        binaryFn("eq", "a == b", ScalarOp.EQ);
        binaryFn("neq", "a != b", ScalarOp.NEQ);
        fn("and", "logical and (a && b)", sig(a -> T.and(a.var(0), a.var(1)), p("a", TENSOR), p("b", TENSOR)));
        fn("or", "logical or (a || b)", sig(a -> T.or(a.var(0), a.var(1)), p("a", TENSOR), p("b", TENSOR)));
        fn("where", "a where cond is true, else b (cond ? a : b)",
                sig(a -> T.where(a.var(0), a.operand(1), a.operand(2)), p("cond", TENSOR), p("a", OPERAND), p("b", OPERAND)));
        fn("clip", "x limited to [lo, hi]",
                sig(a -> T.elemwise(ScalarOp.CLIP, a.var(0), a.operand(1), a.operand(2)), p("x", TENSOR), p("lo", OPERAND), p("hi", OPERAND)));
        fn("cast", "x converted to dtype", sig(a -> T.cast(a.var(0), a.dtype(1)), p("x", TENSOR), p("dtype", DTYPE)));
        fn("stopGradient", "x, with a zero gradient", sig(a -> T.stopGradient(a.var(0)), p("x", TENSOR)));

        // ---- reductions -----------------------------------------------------------------------------
        reduction("sum", "sum over all axes or the given ones", T::sum);
        reduction("mean", "mean over all axes or the given ones", T::mean);
        reduction("max", "maximum over all axes or the given ones", T::max);
        reduction("min", "minimum over all axes or the given ones", T::min);
        reduction("prod", "product over all axes or the given ones", T::prod);
        fn("argmax", "index of the maximum (flattened, or along an axis)",
                sig(a -> T.argmax(a.var(0), a.integer(1), a.bool(2)), p("x", TENSOR), p("axis", INT), p("keepdims", BOOL)),
                sig(a -> T.argmax(a.var(0), a.integer(1)), p("x", TENSOR), p("axis", INT)),
                sig(a -> T.argmax(a.var(0)), p("x", TENSOR)));
        fn("argmin", "index of the minimum (flattened, or along an axis)",
                sig(a -> T.argmin(a.var(0), a.integer(1), a.bool(2)), p("x", TENSOR), p("axis", INT), p("keepdims", BOOL)),
                sig(a -> T.argmin(a.var(0), a.integer(1)), p("x", TENSOR), p("axis", INT)),
                sig(a -> T.argmin(a.var(0)), p("x", TENSOR)));

        // ---- linear algebra, shapes, softmax --------------------------------------------------------
        fn("dot", "numpy's dot of vectors and matrices", sig(a -> T.dot(a.var(0), a.var(1)), p("a", TENSOR), p("b", TENSOR)));
        fn("matmul", "numpy's matmul", sig(a -> T.matmul(a.var(0), a.var(1)), p("a", TENSOR), p("b", TENSOR)));
        fn("outer", "outer product of two vectors", sig(a -> T.outer(a.var(0), a.var(1)), p("a", TENSOR), p("b", TENSOR)));
        fn("transpose", "axes reversed, or permuted", sig(a -> T.transpose(a.var(0), a.ints(1)), p("x", TENSOR), many("axis", INT)));
        fn("dimshuffle", "Theano's dimshuffle: axis numbers, and \"x\" for a new broadcastable axis",
                sig(a -> T.dimshuffle(a.var(0), a.slice(1, a.size()).toArray()), p("x", TENSOR), many("pattern", Kind.PATTERN)));
        fn("reshape", "the same elements in a new shape (-1 for one inferred size)",
                sig(a -> T.reshape(a.var(0), a.ints(1)), p("x", TENSOR), many("size", INT)));
        fn("flatten", "x with its trailing axes merged (to ndim axes, 1 by default)",
                sig(a -> T.flatten(a.var(0), a.integer(1)), p("x", TENSOR), p("ndim", INT)),
                sig(a -> T.flatten(a.var(0)), p("x", TENSOR)));
        fn("concatenate", "tensors joined along an axis (0 by default)",
                sig(a -> T.concatenate(a.vars(0, a.size() - 1), a.integer(a.size() - 1)), many("x", TENSOR), p("axis", INT)),
                sig(a -> T.concatenate(a.vars(0)), many("x", TENSOR)));
        fn("softmax", "softmax along the last axis (or the given one)",
                sig(a -> T.softmax(a.var(0), a.integer(1)), p("x", TENSOR), p("axis", INT)),
                sig(a -> T.softmax(a.var(0)), p("x", TENSOR)));
        fn("logSoftmax", "log of softmax, computed stably",
                sig(a -> T.logSoftmax(a.var(0), a.integer(1)), p("x", TENSOR), p("axis", INT)),
                sig(a -> T.logSoftmax(a.var(0)), p("x", TENSOR)));

        // ---- gradients ------------------------------------------------------------------------------
        fn("grad", "the gradient of the scalar cost with respect to wrt (a list for several: g[0], g[1], ...)",
                sig(a -> T.grad(a.var(0), a.var(1)), p("cost", TENSOR), p("wrt", TENSOR)),
                sig(a -> T.grad(a.var(0), a.vars(1)), p("cost", TENSOR), many("wrt", TENSOR)));
        fn("jacobian", "the Jacobian of vector y with respect to x", sig(a -> T.jacobian(a.var(0), a.var(1)), p("y", TENSOR), p("x", TENSOR)));
        fn("hessian", "the Hessian of the scalar cost with respect to x", sig(a -> T.hessian(a.var(0), a.var(1)), p("cost", TENSOR), p("x", TENSOR)));

        // ---- host helpers (values computed while the file is read) ----------------------------------
        fn("random", "a seeded random generator: .randn(...), .uniform(lo, hi, ...), .randint(lo, hi, ...)",
                sig(a -> new Rng(a.lng(0)), p("seed", INT)));
        fn("zeros", "an array of zeros (floatX unless a dtype is given)",
                sig(a -> NDArray.zeros(a.dtype(0), a.ints(1)), p("dtype", DTYPE), many("size", INT)),
                sig(a -> NDArray.zeros(floatX(), a.ints(0)), many("size", INT)));
        fn("ones", "an array of ones (floatX unless a dtype is given)",
                sig(a -> NDArray.ones(a.dtype(0), a.ints(1)), p("dtype", DTYPE), many("size", INT)),
                sig(a -> NDArray.ones(floatX(), a.ints(0)), many("size", INT)));
        fn("full", "an array filled with value (floatX unless a dtype is given)",
                sig(a -> NDArray.full(a.dtype(0), a.dbl(1), a.ints(2)), p("dtype", DTYPE), p("value", NUMBER), many("size", INT)),
                sig(a -> NDArray.full(floatX(), a.dbl(0), a.ints(1)), p("value", NUMBER), many("size", INT)));
        fn("array", "a 1-d array of the given numbers (floatX unless a dtype is given)",
                sig(a -> vector(a.dtype(0), a, 1), p("dtype", DTYPE), many("value", NUMBER)),
                sig(a -> vector(floatX(), a, 0), many("value", NUMBER)));
        fn("load", "an array from a numpy .npy file (relative to the .graph file)", sig(a -> load(a), p("file", STRING)));
        fn("function", "declares a function: function(\"name\").inputs(...).outputs(...).update(s, v).givens(v, value)",
                sig(a -> a.ctx.declareFunction(a.str(0), a.place), p("name", STRING)));

        // ---- methods of tensors: every function that takes a tensor first, and these -----------------
        for (Builtin b : FUNCTIONS.values()) if (b.fluent()) TENSOR_METHODS.put(b.name, b);
        def(TENSOR_METHODS, "T", "the transpose (axes reversed)", sig(a -> T.transpose(a.var(0)), p("x", TENSOR)));
        def(TENSOR_METHODS, "named", "the same tensor, with a name (for messages and saved outputs)",
                sig(a -> a.var(0).named(a.str(1)), p("x", TENSOR), p("name", STRING)));

        // ---- methods of random generators, arrays, lists and function declarations -----------------
        Kind rng = Kind.ANY;
        def(RNG_METHODS, "randn", "standard normal samples (floatX unless a dtype is given)",
                sig(a -> rng(a).randn(a.dtype(1), a.ints(2)), p("rng", rng), p("dtype", DTYPE), many("size", INT)),
                sig(a -> rng(a).randn(a.ints(1)), p("rng", rng), many("size", INT)));
        def(RNG_METHODS, "uniform", "samples uniform in [lo, hi) (floatX unless a dtype is given)",
                sig(a -> rng(a).uniform(a.dtype(1), a.dbl(2), a.dbl(3), a.ints(4)), p("rng", rng), p("dtype", DTYPE),
                        p("lo", NUMBER), p("hi", NUMBER), many("size", INT)),
                sig(a -> rng(a).uniform(a.dbl(1), a.dbl(2), a.ints(3)), p("rng", rng), p("lo", NUMBER), p("hi", NUMBER), many("size", INT)));
        def(RNG_METHODS, "randint", "integers uniform in [lo, hi), as int64",
                sig(a -> rng(a).randint(a.lng(1), a.lng(2), a.ints(3)), p("rng", rng), p("lo", INT), p("hi", INT), many("size", INT)));

        def(ARRAY_METHODS, "astype", "the array converted to dtype", sig(a -> arr(a).astype(a.dtype(1)), p("array", Kind.ANY), p("dtype", DTYPE)));
        def(ARRAY_METHODS, "reshape", "the same elements in a new shape",
                sig(a -> arr(a).copy().reshape(a.ints(1)), p("array", Kind.ANY), many("size", INT)));

        def(LIST_METHODS, "get", "element i (like g[i])", sig(a -> a.ctx.index(list(a), a.integer(1), a.place(1)), p("list", Kind.ANY), p("i", INT)));
        def(LIST_METHODS, "size", "the number of elements", sig(a -> list(a).size(), p("list", Kind.ANY)));

        def(FUNCTION_METHODS, "inputs", "the inputs, in call order", sig(a -> fdecl(a).inputs(a), p("f", Kind.ANY), many("x", TENSOR)));
        def(FUNCTION_METHODS, "outputs", "the outputs", sig(a -> fdecl(a).outputs(a), p("f", Kind.ANY), many("y", TENSOR)));
        def(FUNCTION_METHODS, "update", "after each call, target takes value (computed from the values before the call)",
                sig(a -> fdecl(a).update(a), p("f", Kind.ANY), p("target", Kind.SHARED), p("value", OPERAND)));
        def(FUNCTION_METHODS, "givens", "replaces var by value when the function is built",
                sig(a -> fdecl(a).givens(a), p("f", Kind.ANY), p("var", TENSOR), p("value", Kind.GIVEN)));
    }

    private static Rng rng(Args a) { return (Rng) a.get(0); }
    private static NDArray arr(Args a) { return (NDArray) a.get(0); }
    @SuppressWarnings("unchecked") private static List<Var> list(Args a) { return (List<Var>) a.get(0); }
    private static FunctionDecl fdecl(Args a) { return (FunctionDecl) a.get(0); }

    private static NDArray vector(DType dtype, Args a, int from) {
        NDArray r = NDArray.zeros(dtype, a.size() - from);
        for (int i = from; i < a.size(); i++) r.setFlat(i - from, a.dbl(i));
        return r;
    }

    private static NDArray load(Args a) {
        String name = a.str(0);
        Path base = a.ctx.source().baseDir;
        Path p = base == null ? Path.of(name) : base.resolve(name);
        try {
            return NDArray.load(p);
        } catch (NoSuchFileException e) {
            throw new TccException("cannot load \"" + name + "\": no such file (" + p.toAbsolutePath().normalize() + ")"
                    + (base != null ? "; paths are relative to the folder of the .graph file" : ""));
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new TccException("cannot load \"" + name + "\": " + (Files.isDirectory(p) ? "it is a folder" : why));
        }
    }

    /** Names of every function and method, for "did you mean". */
    static List<String> functionNames() { return List.copyOf(FUNCTIONS.keySet()); }

    static Map<String, Builtin> methodsOf(Object receiver) {
        if (receiver instanceof Var) return TENSOR_METHODS;
        if (receiver instanceof Rng) return RNG_METHODS;
        if (receiver instanceof NDArray) return ARRAY_METHODS;
        if (receiver instanceof List<?>) return LIST_METHODS;
        if (receiver instanceof FunctionDecl) return FUNCTION_METHODS;
        return Collections.emptyMap();
    }
}
