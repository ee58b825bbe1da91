/**
 * The Program model (DESIGN.md §1): what a backend executes, as plain data.
 *
 * <p>A {@link dev.tcc.codegen.program.Program} is produced by {@code dev.tcc.codegen.Schedule}
 * from a {@code FunctionGraph} and can be written as JSON and read back
 * ({@link dev.tcc.codegen.program.Program#toJson()}, {@link dev.tcc.codegen.program.Program#fromJson(String)})
 * without the optimizer or the scheduler. Everything a backend needs is here:
 * <ul>
 *   <li>{@link dev.tcc.codegen.program.Value values}: every tensor the program talks about, in
 *       topological order, each with a static type, a {@link dev.tcc.codegen.program.ShapeRule}
 *       that computes its run-time shape from earlier values' shapes, and the buffer that holds it;</li>
 *   <li>{@link dev.tcc.codegen.program.Buffer buffers}: storage (inputs, shared variables and
 *       their back buffers, constants with their data, temporaries reused by liveness, outputs);</li>
 *   <li>{@link dev.tcc.codegen.program.Step steps}: kernel launches in execution order, each with
 *       its pointer arguments and its int64 launch parameters (computed from the call's shapes);</li>
 *   <li>{@link dev.tcc.codegen.program.UpdateAssignment updates}: what happens to shared variables
 *       after the steps;</li>
 *   <li>{@link dev.tcc.codegen.program.Sources sources}: one CUDA C and one C translation unit
 *       holding every kernel, with the compiler flags they were written for.</li>
 * </ul>
 * See docs/codegen.md for the kernel ABI and a walk through an example.
 */
package dev.tcc.codegen.program;
