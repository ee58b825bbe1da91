package dev.tcc.backend.cuda;

import jcuda.driver.CUfunction;

/** A kernel loaded on the device: its function handle and the signature its arguments are packed by. */
public final class CudaKernel {
    final CUfunction function;
    private final KernelSignature signature;
    int sharedBytesAllowed = 48 * 1024;

    CudaKernel(CUfunction function, KernelSignature signature) {
        this.function = function;
        this.signature = signature;
    }

    public String name() { return signature.name(); }

    public KernelSignature signature() { return signature; }

    /** Checks and packs {@code values} for this kernel. */
    public KernelArgs args(Object... values) { return KernelArgs.pack(signature, values); }

    @Override public String toString() { return "kernel " + name(); }
}
