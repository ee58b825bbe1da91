package dev.tcc.backend.cuda;

/**
 * A launch's grid and block sizes and its dynamic shared memory, with the helpers that derive them
 * from problem sizes. {@link #check} holds a configuration against a device's limits before the
 * driver sees it, so that a bad size is reported with the kernel's name and the numbers rather
 * than as {@code CUDA_ERROR_INVALID_VALUE}.
 */
public record LaunchConfig(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, int sharedBytes) {

    /** What a device allows; {@link #DEFAULT} holds for every GPU since compute capability 3.0. */
    public record Limits(int maxThreadsPerBlock, int maxBlockX, int maxBlockY, int maxBlockZ,
                         long maxGridX, int maxGridY, int maxGridZ, int maxSharedBytes) {
        public static final Limits DEFAULT = new Limits(1024, 1024, 1024, 64, Integer.MAX_VALUE, 65535, 65535, 48 * 1024);
    }

    public LaunchConfig {
        if (gridX < 1 || gridY < 1 || gridZ < 1 || blockX < 1 || blockY < 1 || blockZ < 1 || sharedBytes < 0) {
            throw new IllegalArgumentException("launch sizes must be positive: grid (" + gridX + ", " + gridY + ", " + gridZ
                    + "), block (" + blockX + ", " + blockY + ", " + blockZ + "), shared " + sharedBytes);
        }
    }

    public static LaunchConfig of(int gridX, int blockX) { return new LaunchConfig(gridX, 1, 1, blockX, 1, 1, 0); }

    public long threadsPerBlock() { return (long) blockX * blockY * blockZ; }

    public long blocks() { return (long) gridX * gridY * gridZ; }

    public LaunchConfig withShared(int bytes) { return new LaunchConfig(gridX, gridY, gridZ, blockX, blockY, blockZ, bytes); }

    /**
     * One thread per {@code itemsPerThread} elements of {@code n}, {@code block} threads a block;
     * the grid is capped at {@code maxBlocks} (the kernel must then loop, grid-stride). An empty
     * problem still gets one block, whose threads find nothing to do.
     */
    public static LaunchConfig linear(long n, int block, int itemsPerThread, long maxBlocks) {
        if (n < 0) throw new IllegalArgumentException("element count " + n + " < 0");
        if (block < 1 || itemsPerThread < 1 || maxBlocks < 1) throw new IllegalArgumentException("block, itemsPerThread and maxBlocks must be positive");
        long perBlock = (long) block * itemsPerThread;
        long blocks = Math.max(1, ceilDiv(n, perBlock));
        blocks = Math.min(blocks, Math.min(maxBlocks, Limits.DEFAULT.maxGridX()));
        return new LaunchConfig((int) blocks, 1, 1, block, 1, 1, 0);
    }

    /**
     * A 2-D grid of tiles over a {@code rows × cols} result (x over columns, y over rows), with
     * {@code threads} threads a block: the shape tiled kernels such as SGEMM use. Batches go to z.
     */
    public static LaunchConfig tiles(long rows, long cols, int tileRows, int tileCols, int threads, long batch) {
        if (rows < 0 || cols < 0 || batch < 0) throw new IllegalArgumentException("negative size: " + rows + " x " + cols + " x " + batch);
        long gx = Math.max(1, ceilDiv(cols, tileCols)), gy = Math.max(1, ceilDiv(rows, tileRows)), gz = Math.max(1, batch);
        if (gy > Limits.DEFAULT.maxGridY() || gz > Limits.DEFAULT.maxGridZ() || gx > Limits.DEFAULT.maxGridX()) {
            throw new IllegalArgumentException("a " + rows + " x " + cols + " (batch " + batch + ") result in " + tileRows + " x "
                    + tileCols + " tiles needs a grid of " + gx + " x " + gy + " x " + gz + " blocks, over the device's limit");
        }
        return new LaunchConfig((int) gx, (int) gy, (int) gz, threads, 1, 1, 0);
    }

    /**
     * One block of {@code block} threads per row, for reductions over the last axis and softmax:
     * rows go to x, up to the grid's x limit.
     */
    public static LaunchConfig rows(long rows, int block) {
        if (rows < 0) throw new IllegalArgumentException("row count " + rows + " < 0");
        long g = Math.max(1, rows);
        if (g > Limits.DEFAULT.maxGridX()) throw new IllegalArgumentException(rows + " rows exceed the grid's x limit");
        return new LaunchConfig((int) g, 1, 1, block, 1, 1, 0);
    }

    /** Throws with the kernel's name and the offending numbers when the device cannot run this. */
    public void check(String kernel, Limits limits) {
        StringBuilder why = new StringBuilder();
        if (threadsPerBlock() > limits.maxThreadsPerBlock()) why.append("; ").append(threadsPerBlock())
                .append(" threads a block, over the device's ").append(limits.maxThreadsPerBlock());
        if (blockX > limits.maxBlockX() || blockY > limits.maxBlockY() || blockZ > limits.maxBlockZ()) why.append("; block (")
                .append(blockX).append(", ").append(blockY).append(", ").append(blockZ).append(") over the per-axis limit (")
                .append(limits.maxBlockX()).append(", ").append(limits.maxBlockY()).append(", ").append(limits.maxBlockZ()).append(')');
        if (gridX > limits.maxGridX() || gridY > limits.maxGridY() || gridZ > limits.maxGridZ()) why.append("; grid (")
                .append(gridX).append(", ").append(gridY).append(", ").append(gridZ).append(") over the limit (")
                .append(limits.maxGridX()).append(", ").append(limits.maxGridY()).append(", ").append(limits.maxGridZ()).append(')');
        if (sharedBytes > limits.maxSharedBytes()) why.append("; ").append(sharedBytes)
                .append(" bytes of dynamic shared memory, over the device's ").append(limits.maxSharedBytes());
        if (why.length() > 0) throw new IllegalArgumentException("kernel " + kernel + " cannot be launched with " + this + why);
    }

    static long ceilDiv(long a, long b) { return (a + b - 1) / b; }

    @Override public String toString() {
        return "grid (" + gridX + ", " + gridY + ", " + gridZ + ") block (" + blockX + ", " + blockY + ", " + blockZ + ")"
                + (sharedBytes > 0 ? " shared " + sharedBytes + " B" : "");
    }
}
