package dev.tcc;

/**
 * Process-wide settings, reached through {@code Tcc.config()}. Like Theano's {@code config}:
 * change them before building graphs; graphs already built keep the dtypes they were made with.
 */
public final class Config {
    private static final Config INSTANCE = new Config();

    private volatile DType floatX = DType.FLOAT32;
    private volatile boolean fastMath = false;

    private Config() {}

    public static Config get() { return INSTANCE; }

    /** dtype of {@code T.scalar("x")}, {@code Rng.randn} and {@code Tcc.shared(double)}; float32 by default. */
    public DType floatX() { return floatX; }

    public Config floatX(DType dtype) {
        if (!dtype.isFloat()) throw new IllegalArgumentException("floatX must be float32 or float64, not " + dtype);
        this.floatX = dtype;
        return this;
    }

    /** Opt-in fast math for compiled backends; IEEE semantics by default. */
    public boolean fastMath() { return fastMath; }

    public Config fastMath(boolean on) { this.fastMath = on; return this; }
}
