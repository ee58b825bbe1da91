package dev.tcc.ops;

/** What a {@link Reduce} computes over its axes. */
public enum ReduceKind {
    SUM, PROD, MAX, MIN, MEAN, ARGMAX, ARGMIN;

    public boolean isArg() { return this == ARGMAX || this == ARGMIN; }

    public String lowerName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
