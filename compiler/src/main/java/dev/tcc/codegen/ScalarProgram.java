package dev.tcc.codegen;

import dev.tcc.DType;
import dev.tcc.ops.FusedElemwise;
import dev.tcc.ops.ScalarOp;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of an elementwise kernel (or of a reduction's prologue, or a GEMM's epilogue): a
 * straight-line scalar program, rendered once by {@link ScalarRenderer} for either target.
 * Slots are numbered like {@link FusedElemwise}'s operands: {@code 0..operands-1} are the
 * operands (a kernel input or an inlined literal), then one slot per instruction.
 *
 * @param operands what each operand slot is
 * @param instrs   the instructions, in order
 * @param outputs  the slot stored to each output (usually an instruction's; an operand's for copies)
 * @param outputNames for comments: the variable each output is
 * @param site     where the fused node was made
 * @param instrSites where each instruction's expression was written (each statement's comment names it)
 */
record ScalarProgram(List<Operand> operands, List<FusedElemwise.Instr> instrs, List<Integer> outputs,
                     List<String> outputNames, String site, List<String> instrSites) {

    /** An operand slot: input {@code input} of the kernel, or a literal. */
    sealed interface Operand permits In, Literal {
        DType dtype();
    }

    /** Kernel input {@code input} (an index into the step's inputs), for comments named {@code name}. */
    record In(int input, DType dtype, String name) implements Operand {}

    /** A size-1 constant inlined into the code; {@code value} as double, {@code bits} exact for integers. */
    record Literal(DType dtype, double value, long bits, String site) implements Operand {}

    ScalarProgram {
        operands = List.copyOf(operands);
        instrs = List.copyOf(instrs);
        outputs = List.copyOf(outputs);
        outputNames = List.copyOf(outputNames);
        instrSites = List.copyOf(instrSites);
        if (instrSites.size() != instrs.size()) throw new IllegalArgumentException("one site per instruction");
    }

    int slots() { return operands.size() + instrs.size(); }

    DType slotType(int slot) {
        return slot < operands.size() ? operands.get(slot).dtype() : instrs.get(slot - operands.size()).dtype();
    }

    /** A program that copies operand 0 (of dtype {@code from}) into one output of dtype {@code to}. */
    static ScalarProgram copy(DType from, DType to, String name, String site) {
        if (from == to) return new ScalarProgram(List.of(new In(0, from, name)), List.of(), List.of(0), List.of(name), site, List.of());
        FusedElemwise.Instr cast = new FusedElemwise.Instr(ScalarOp.CAST, to, to, List.of(0));
        return new ScalarProgram(List.of(new In(0, from, name)), List.of(cast), List.of(1), List.of(name), site, List.of(site));
    }

    /** The names of the ops, for descriptions: {@code add,sigmoid}. */
    String opNames() {
        List<String> n = new ArrayList<>();
        for (FusedElemwise.Instr i : instrs) n.add(i.op() == ScalarOp.CAST ? "cast{" + i.castTo() + "}" : i.op().lowerName());
        return n.isEmpty() ? "copy" : String.join(",", n);
    }
}
