package dev.tcc.opt;

/**
 * Limits per fused elementwise kernel. CUDA passes a kernel's parameters in 4 KB of constant
 * memory, so a kernel cannot take arbitrarily many operands: {@code maxParamBytes} is checked
 * against an estimate of what a generated kernel receives (per operand a pointer and one 64-bit
 * stride per axis, plus the shape, one 64-bit size per axis, and the element count), and the
 * operands (inputs + outputs) are also capped by count. {@code maxInstructions} caps the scalar
 * program's length, which bounds compile time and register pressure.
 */
public record FusionBudget(int maxOperands, int maxParamBytes, int maxInstructions) {
    /**
     * 64 operands, CUDA's 4096 bytes of kernel parameters, 512 instructions. With rank-4 operands
     * (8 + 32 bytes each) 64 operands need 2600 bytes; the byte cap binds first from rank 7 up.
     */
    public static final FusionBudget DEFAULT = new FusionBudget(64, 4096, 512);

    public FusionBudget {
        if (maxOperands < 2 || maxInstructions < 1) throw new IllegalArgumentException("a kernel needs at least 2 operands and 1 instruction");
    }

    /** Estimated parameter bytes of a kernel with {@code operands} operands of rank {@code rank}. */
    public int paramBytes(int operands, int rank) { return operands * (8 + 8 * rank) + 8 * rank + 8; }

    public boolean fits(int operands, int rank, int instructions) {
        return operands <= maxOperands && paramBytes(operands, rank) <= maxParamBytes && instructions <= maxInstructions;
    }
}
