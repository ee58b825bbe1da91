package dev.tcc.codegen;

/** The corpus's random seed, printed with failures (DESIGN.md §8). */
final class KernelCorpusSeed {
    private KernelCorpusSeed() {}

    static final long SEED = 20261203L;
}
