package dev.tcc;

import dev.tcc.ir.Node;
import dev.tcc.ir.Serial;
import dev.tcc.ir.Site;
import dev.tcc.ir.TensorType;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A symbolic tensor: a graph input (made by {@code T.matrix("x")} etc.), a constant, a shared
 * variable, or the output of an operation. The fluent methods are the same operations as {@link T}'s.
 * Java numbers passed as operands are weak scalars: they take the other operand's dtype (NEP 50).
 */
public class Var implements Serial {
    private static final AtomicInteger SERIALS = new AtomicInteger();

    private final int serial = SERIALS.getAndIncrement();
    private final TensorType type;
    private final Node owner;
    private final int index;
    private final Site site;
    private volatile String name;

    protected Var(TensorType type, Node owner, int index, String name, Site site) {
        this.type = type;
        this.owner = owner;
        this.index = index;
        this.name = name;
        this.site = site;
    }

    /** A graph input of this type (what {@code T.matrix} makes). */
    public static Var input(TensorType type, String name, Site site) {
        return new Var(type, null, -1, name, site);
    }

    /** Output {@code index} of {@code node}; only {@link Node} calls this. */
    public static Var output(Node node, int index, TensorType type, Site site) {
        return new Var(type, node, index, null, site);
    }

    public TensorType type() { return type; }
    public DType dtype() { return type.dtype(); }
    public int ndim() { return type.ndim(); }
    /** The operation that computes this variable, or null for inputs, constants and shared variables. */
    public Node owner() { return owner; }
    /** Which output of {@link #owner()} this is. */
    public int index() { return index; }
    public Site site() { return site; }
    public String name() { return name; }
    /** Creation number, for the compiler's tables (see {@link Serial}); not an identity. */
    @Override public int serial() { return serial; }

    /** Sets the name (printed in errors and inspection output, used for outputs saved by the CLI); returns this. */
    public Var named(String newName) {
        this.name = newName;
        return this;
    }

    public boolean isInput() { return owner == null && !(this instanceof SharedVar) && !(this instanceof dev.tcc.ir.Constant); }

    /** For messages: {@code 'x' float32(?, ?) made at Foo.java:12}. */
    public String describe() {
        String what = name != null ? "'" + name + "'"
                : owner != null ? "the result of " + owner.op().name()
                : this instanceof dev.tcc.ir.Constant ? "a constant" : "an unnamed input";
        return what + " " + type + " made at " + site;
    }

    @Override public String toString() {
        if (name != null) return name;
        if (owner != null) return owner.op().name() + "(...)";
        return "<" + type + ">";
    }

    // ---- elementwise arithmetic -------------------------------------------------------------
    public Var add(Var o) { return T.add(this, o); }
    public Var add(Number o) { return T.add(this, o); }
    public Var sub(Var o) { return T.sub(this, o); }
    public Var sub(Number o) { return T.sub(this, o); }
    public Var mul(Var o) { return T.mul(this, o); }
    public Var mul(Number o) { return T.mul(this, o); }
    public Var div(Var o) { return T.div(this, o); }
    public Var div(Number o) { return T.div(this, o); }
    public Var mod(Var o) { return T.mod(this, o); }
    public Var mod(Number o) { return T.mod(this, o); }
    public Var pow(Var o) { return T.pow(this, o); }
    public Var pow(Number o) { return T.pow(this, o); }
    public Var maximum(Var o) { return T.maximum(this, o); }
    public Var maximum(Number o) { return T.maximum(this, o); }
    public Var minimum(Var o) { return T.minimum(this, o); }
    public Var minimum(Number o) { return T.minimum(this, o); }

    // ---- comparisons and logic (BOOL results) -------------------------------------------------
    public Var gt(Var o) { return T.gt(this, o); }
    public Var gt(Number o) { return T.gt(this, o); }
    public Var ge(Var o) { return T.ge(this, o); }
    public Var ge(Number o) { return T.ge(this, o); }
    public Var lt(Var o) { return T.lt(this, o); }
    public Var lt(Number o) { return T.lt(this, o); }
    public Var le(Var o) { return T.le(this, o); }
    public Var le(Number o) { return T.le(this, o); }
    public Var eq(Var o) { return T.eq(this, o); }
    public Var eq(Number o) { return T.eq(this, o); }
    public Var neq(Var o) { return T.neq(this, o); }
    public Var neq(Number o) { return T.neq(this, o); }
    public Var and(Var o) { return T.and(this, o); }
    public Var or(Var o) { return T.or(this, o); }
    public Var not() { return T.not(this); }

    // ---- unary math -----------------------------------------------------------------------------
    public Var neg() { return T.neg(this); }
    public Var abs() { return T.abs(this); }
    public Var sign() { return T.sign(this); }
    public Var exp() { return T.exp(this); }
    public Var log() { return T.log(this); }
    public Var log1p() { return T.log1p(this); }
    public Var expm1() { return T.expm1(this); }
    public Var sqrt() { return T.sqrt(this); }
    public Var sqr() { return T.sqr(this); }
    public Var sin() { return T.sin(this); }
    public Var cos() { return T.cos(this); }
    public Var tanh() { return T.tanh(this); }
    public Var sigmoid() { return T.sigmoid(this); }
    public Var softplus() { return T.softplus(this); }
    public Var relu() { return T.relu(this); }
    public Var floor() { return T.floor(this); }
    public Var ceil() { return T.ceil(this); }
    public Var round() { return T.round(this); }
    public Var cast(DType to) { return T.cast(this, to); }
    public Var clip(Number lo, Number hi) { return T.clip(this, lo, hi); }
    public Var clip(Var lo, Var hi) { return T.clip(this, lo, hi); }

    // ---- reductions -----------------------------------------------------------------------------
    public Var sum(int... axes) { return T.sum(this, axes); }
    public Var sum(int[] axes, boolean keepdims) { return T.sum(this, axes, keepdims); }
    public Var mean(int... axes) { return T.mean(this, axes); }
    public Var mean(int[] axes, boolean keepdims) { return T.mean(this, axes, keepdims); }
    public Var max(int... axes) { return T.max(this, axes); }
    public Var max(int[] axes, boolean keepdims) { return T.max(this, axes, keepdims); }
    public Var min(int... axes) { return T.min(this, axes); }
    public Var min(int[] axes, boolean keepdims) { return T.min(this, axes, keepdims); }
    public Var prod(int... axes) { return T.prod(this, axes); }
    public Var prod(int[] axes, boolean keepdims) { return T.prod(this, axes, keepdims); }
    public Var argmax() { return T.argmax(this); }
    public Var argmax(int axis) { return T.argmax(this, axis); }
    public Var argmax(int axis, boolean keepdims) { return T.argmax(this, axis, keepdims); }
    public Var argmin() { return T.argmin(this); }
    public Var argmin(int axis) { return T.argmin(this, axis); }
    public Var argmin(int axis, boolean keepdims) { return T.argmin(this, axis, keepdims); }

    // ---- linear algebra and shapes --------------------------------------------------------------
    public Var dot(Var o) { return T.dot(this, o); }
    public Var matmul(Var o) { return T.matmul(this, o); }
    /** Reverses the axes, like numpy's {@code .T}. */
    public Var T() { return T.transpose(this); }
    public Var transpose(int... axes) { return T.transpose(this, axes); }
    /** Axis numbers and {@code "x"} for new broadcastable axes, as in Theano. */
    public Var dimshuffle(Object... pattern) { return T.dimshuffle(this, pattern); }
    public Var reshape(int... shape) { return T.reshape(this, shape); }
    public Var flatten() { return T.flatten(this); }
    public Var flatten(int ndim) { return T.flatten(this, ndim); }
}
