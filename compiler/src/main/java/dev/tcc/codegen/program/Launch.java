package dev.tcc.codegen.program;

/** A CUDA launch configuration: grid and block sizes and dynamic shared memory in bytes. */
public record Launch(long gridX, long gridY, long gridZ, int blockX, int blockY, int blockZ, int sharedBytes) {
    public static Launch linear(long blocks, int threads) {
        return new Launch(Math.max(1, blocks), 1, 1, threads, 1, 1, 0);
    }
}
