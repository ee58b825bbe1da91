package dev.tcc.codegen;

import dev.tcc.Config;
import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.TccException;
import dev.tcc.Var;
import dev.tcc.codegen.program.Access;
import dev.tcc.codegen.program.Buffer;
import dev.tcc.codegen.program.ConcatStep;
import dev.tcc.codegen.program.ConstantData;
import dev.tcc.codegen.program.ElementwiseStep;
import dev.tcc.codegen.program.FillStep;
import dev.tcc.codegen.program.GemmStep;
import dev.tcc.codegen.program.InputInfo;
import dev.tcc.codegen.program.Program;
import dev.tcc.codegen.program.ReduceStep;
import dev.tcc.codegen.program.ShapeRule;
import dev.tcc.codegen.program.Shapes;
import dev.tcc.codegen.program.SharedInfo;
import dev.tcc.codegen.program.SliceStep;
import dev.tcc.codegen.program.SoftmaxStep;
import dev.tcc.codegen.program.Sources;
import dev.tcc.codegen.program.Step;
import dev.tcc.codegen.program.UpdateAssignment;
import dev.tcc.codegen.program.Value;
import dev.tcc.ir.Constant;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Graphs;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
import dev.tcc.opt.InplacePlan;
import dev.tcc.opt.OptimizedGraph;
import dev.tcc.ir.TensorType;
import dev.tcc.ops.BatchedMatMul;
import dev.tcc.ops.Broadcasting;
import dev.tcc.ops.ConcatSlice;
import dev.tcc.ops.Concatenate;
import dev.tcc.ops.DimShuffle;
import dev.tcc.ops.Dot;
import dev.tcc.ops.ElementCount;
import dev.tcc.ops.Elemwise;
import dev.tcc.ops.Flatten;
import dev.tcc.ops.FusedElemwise;
import dev.tcc.ops.Reduce;
import dev.tcc.ops.Reshape;
import dev.tcc.ops.ReshapeLike;
import dev.tcc.ops.Softmax;
import dev.tcc.ops.StopGradient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Turns a {@link FunctionGraph} (core ops and {@link FusedElemwise} nodes, optimized or not) into a
 * {@link Program} with its CUDA C and C sources. Entry point: {@link #schedule(FunctionGraph)}.
 *
 * <h2>Kernels it forms</h2>
 * <ul>
 *   <li>an elementwise kernel per FusedElemwise or lone Elemwise node (size-1 constants inlined);</li>
 *   <li>a Reduce absorbs the elementwise node that produces its input when nothing else reads that
 *       value (prologue): the intermediate is never stored;</li>
 *   <li>a Dot/matmul absorbs the elementwise node that is the only reader of the product
 *       (epilogue: bias, activation, ...) when that node's result has the product's shape;</li>
 *   <li>softmax, concatenate, concat-slice and element-count steps; dimshuffle, reshape,
 *       reshape-like, flatten and stop-gradient are aliases (no step) — a transpose is a strided view that elementwise and
 *       reduction kernels read directly and GEMM reads as a transposed operand; where a consumer
 *       needs contiguous data a copy step materializes it.</li>
 * </ul>
 * Steps run in a topological order that defers the kernels computing update values, so that reads
 * of a shared variable's old value come first and the update can be written in place.
 *
 * <h2>Memory</h2>
 * Outputs are written straight into OUTPUT buffers where possible (else copied); an update is in
 * place ({@link UpdateAssignment.Mode#IN_PLACE}) when its value is computed by an elementwise
 * kernel that reads the old value only at the same element and every other reader of the old
 * value runs earlier; otherwise it is written to the variable's back buffer and swapped
 * ({@link UpdateAssignment.Mode#SWAP}). Temporaries share TEMP buffers when their lifetimes
 * (from the writing step to the last reading step) do not overlap.
 */
public final class Schedule {
    private Schedule() {}

    /** The program, and the shared variables its {@link Program#shared()} entries stand for, in order. */
    public record Result(Program program, List<SharedVar> sharedVars) {}

    /**
     * @param fastMath          generate fast-math code (else IEEE semantics)
     * @param embedSharedValues put shared variables' current values into the Program
     *                          ({@link SharedInfo#initial()}), for a manifest that must stand alone
     *                          ({@code tcc compile}); a backend binding the live SharedVars needs none
     * @param targets           the languages to write sources in; a backend that runs the Program at
     *                          once needs only its own (the other {@link Sources} field stays null),
     *                          a manifest carries both
     */
    public record Options(boolean fastMath, boolean embedSharedValues, Set<Target> targets) {
        public Options {
            if (targets.isEmpty()) throw new IllegalArgumentException("no target to generate sources for");
            targets = Set.copyOf(targets);
        }

        /** Both targets. */
        public Options(boolean fastMath, boolean embedSharedValues) {
            this(fastMath, embedSharedValues, EnumSet.allOf(Target.class));
        }

        /** Fast math from {@link Config#fastMath()}; shared values not embedded; both targets. */
        public static Options defaults() { return new Options(Config.get().fastMath(), false); }

        /** These options with sources for {@code target} only. */
        public Options only(Target target) { return new Options(fastMath, embedSharedValues, EnumSet.of(target)); }
    }

    public static Result schedule(FunctionGraph graph) { return schedule(graph, Options.defaults()); }

    public static Result schedule(FunctionGraph graph, Options options) {
        return schedule(graph, options, Map.of(), null);
    }

    /**
     * Schedules the optimizer's result: like {@link #schedule(FunctionGraph, Options)} on
     * {@code og.graph()}, with each fused instruction's own creation site in the generated
     * comments, and the {@link InplacePlan}'s ordering constraints ({@code runFirst}) honoured so
     * that the updates it found can be written in place (whether a step really writes in place is
     * still decided on the steps, see {@link Schedule}).
     */
    public static Result schedule(OptimizedGraph og) { return schedule(og, Options.defaults()); }

    public static Result schedule(OptimizedGraph og, Options options) {
        return schedule(og.graph(), options, og.fusedSites(), og.inplace());
    }

    private static Result schedule(FunctionGraph graph, Options options, Map<Node, List<Site>> sites, InplacePlan plan) {
        Builder b = new Builder(graph, options);
        b.instrSites = sites;
        b.plan = plan;
        b.run();
        Program p = b.program();
        Sources sources = SourceGenerator.generate(p, b.bodies, options.targets());
        return new Result(p.withSources(sources), List.copyOf(b.sharedVars));
    }

    /** The elementwise ops a kernel body is made of. */
    static boolean isElementwise(Node n) {
        return n.op() instanceof Elemwise || n.op() instanceof FusedElemwise;
    }


    // ============================================================================================

    private static final class VB {
        int id;
        String name;
        DType dtype;
        int[] staticShape;
        ShapeRule rule;
        boolean contiguous = true;
        String site;
        int aliasOf = -1;     // shares the storage of this value (views, reshapes)
        boolean virtual;      // never stored (a fused prologue's result)
        boolean leaf;         // input, shared or constant
        int buffer = -1;
        Step producer;        // the step that writes it (roots only)
    }

    private static final class Entry {
        final Step step;
        final List<Step> after = new ArrayList<>();

        Entry(Step step) { this.step = step; }
    }

    private static final class Builder {
        final FunctionGraph g;
        final Options options;
        final String fname;
        final List<VB> values = new ArrayList<>();
        final Map<Var, Integer> valueOf = new IdentityHashMap<>();
        final List<InputInfo> inputs = new ArrayList<>();
        final List<SharedInfo> shared = new ArrayList<>();
        final List<SharedVar> sharedVars = new ArrayList<>();
        final List<Buffer> buffers = new ArrayList<>();
        final Map<Integer, Integer> sharedBuffer = new HashMap<>();      // shared index -> SHARED buffer id
        final Map<Integer, Integer> sharedBackBuffer = new HashMap<>();  // shared index -> SHARED_BACK buffer id
        final List<Step> prelude = new ArrayList<>();
        final List<Entry> entries = new ArrayList<>();
        final Map<Step, Entry> entryOf = new IdentityHashMap<>();
        final List<Step> tail = new ArrayList<>();
        final Map<String, ScalarProgram> bodies = new LinkedHashMap<>();
        final Map<Integer, Integer> materialized = new HashMap<>();
        final Set<Integer> claimed = new LinkedHashSet<>();
        final List<Integer> outputValues = new ArrayList<>();
        final List<UpdateAssignment> updates = new ArrayList<>();
        List<Step> steps;
        int kernelCounter;
        Map<Node, List<Site>> instrSites = Map.of();
        InplacePlan plan;

        Builder(FunctionGraph g, Options options) {
            this.g = g;
            this.options = options;
            String n = g.name() == null ? "fn" : g.name().replaceAll("[^A-Za-z0-9_]", "_");
            if (n.isEmpty() || !Character.isLetter(n.charAt(0))) n = "f" + n;
            this.fname = n;
        }

        // ---- values ------------------------------------------------------------------------------

        VB newValue(String name, DType dtype, int[] staticShape, ShapeRule rule, String site) {
            VB v = new VB();
            v.id = values.size();
            v.name = name != null ? name : "t" + v.id;
            v.dtype = dtype;
            v.staticShape = staticShape;
            v.rule = rule;
            v.site = site;
            values.add(v);
            return v;
        }

        VB newValue(Var var, ShapeRule rule) {
            VB v = newValue(var.name(), var.dtype(), var.type().shape(), rule, var.site().toString());
            valueOf.put(var, v.id);
            return v;
        }

        int addBuffer(Buffer.Kind kind, String name, DType dtype, int index, ConstantData data) {
            int id = buffers.size();
            buffers.add(new Buffer(id, kind, name, dtype, index, data));
            return id;
        }

        /** The value of a variable that was computed already or is a leaf (made on first use). */
        int value(Var v) {
            Integer id = valueOf.get(v);
            if (id != null) return id;
            if (v instanceof SharedVar s) {
                int index = shared.size();
                sharedVars.add(s);
                NDArray init = options.embedSharedValues() ? s.getValue() : null;
                shared.add(new SharedInfo(name(s, "shared" + index), s.dtype(), Shapes.boxed(s.type().shape()),
                        s.site().toString(), init == null ? null : ConstantData.of(init)));
                VB vb = newValue(v, new ShapeRule.Fixed(Shapes.boxed(s.type().shape())));
                vb.name = name(s, "shared" + index);
                vb.leaf = true;
                vb.buffer = addBuffer(Buffer.Kind.SHARED, vb.name, s.dtype(), index, null);
                sharedBuffer.put(index, vb.buffer);
                return vb.id;
            }
            if (v instanceof Constant c) {
                VB vb = newValue(v, new ShapeRule.Fixed(Shapes.boxed(c.value().shape())));
                vb.name = v.name() != null ? v.name() : "const" + vb.id;
                vb.leaf = true;
                vb.buffer = addBuffer(Buffer.Kind.CONSTANT, vb.name, c.dtype(), -1, ConstantData.of(c.value()));
                return vb.id;
            }
            if (v.owner() == null) throw new TccException("codegen: " + v.describe() + " is not an input of function "
                    + fname + " (FunctionGraph.build should have caught this)");
            throw new IllegalStateException("codegen: " + v.describe() + " used before it is computed");
        }

        static String name(Var v, String fallback) { return v.name() != null ? v.name() : fallback; }

        VB vb(int id) { return values.get(id); }

        int root(int id) {
            while (values.get(id).aliasOf >= 0) id = values.get(id).aliasOf;
            return id;
        }

        /** Whether any value is stored at all (not fused away). */
        boolean stored(int id) { return !vb(root(id)).virtual; }

        // ---- main --------------------------------------------------------------------------------

        void run() {
            for (int i = 0; i < g.inputs().size(); i++) {
                Var in = g.inputs().get(i);
                String n = name(in, "in" + i);
                inputs.add(new InputInfo(n, in.dtype(), Shapes.boxed(in.type().shape()), in.site().toString()));
                VB vb = newValue(in, new ShapeRule.Input(i));
                vb.name = n;
                vb.leaf = true;
                vb.buffer = addBuffer(Buffer.Kind.INPUT, n, in.dtype(), i, null);
            }
            List<Var> results = g.allResults();
            List<Node> order = Graphs.toposort(results);
            Set<Var> resultVars = Collections.newSetFromMap(new IdentityHashMap<>());
            resultVars.addAll(results);
            Set<Var> updateVars = Collections.newSetFromMap(new IdentityHashMap<>());
            for (FunctionGraph.Update u : g.updates()) updateVars.add(u.value());
            Map<Var, List<Node>> clients = Graphs.clients(order);

            // 1. fusion of epilogues into matrix products, prologues into reductions
            Map<Node, Node> epilogueOf = new IdentityHashMap<>();   // dot -> elementwise node
            Map<Node, Node> dotOf = new IdentityHashMap<>();        // elementwise node -> dot
            Map<Node, Node> prologueOf = new IdentityHashMap<>();   // reduce -> elementwise node
            Set<Node> absorbed = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Node n : order) {
                if (!(n.op() instanceof Dot) && !(n.op() instanceof BatchedMatMul)) continue;
                Var p = n.output();
                Node e = soleClient(p, clients, resultVars);
                if (e == null || !isElementwise(e) || dotOf.containsKey(e) || !epilogueFits(p, e)) continue;
                epilogueOf.put(n, e);
                dotOf.put(e, n);
                absorbed.add(n);
            }
            for (Node n : order) {
                if (!(n.op() instanceof Reduce)) continue;
                Node p = n.input(0).owner();
                if (p == null || !isElementwise(p) || p.outputs().size() != 1 || dotOf.containsKey(p)) continue;
                if (soleClient(p.output(), clients, resultVars) != n) continue;
                prologueOf.put(n, p);
                absorbed.add(p);
            }

            // 2. order the kernels: topological, deferring those that compute update values
            Map<Node, Integer> dfsIndex = new IdentityHashMap<>();
            for (int i = 0; i < order.size(); i++) dfsIndex.put(order.get(i), i);
            Map<Node, Node> groupOf = new IdentityHashMap<>();
            for (Node n : order) groupOf.put(n, n);
            for (Map.Entry<Node, Node> e : epilogueOf.entrySet()) groupOf.put(e.getKey(), e.getValue());
            for (Map.Entry<Node, Node> e : prologueOf.entrySet()) groupOf.put(e.getValue(), e.getKey());
            List<Node> anchors = new ArrayList<>();
            for (Node n : order) if (!absorbed.contains(n)) anchors.add(n);
            Map<Node, Set<Node>> deps = new IdentityHashMap<>();
            Map<Node, List<Node>> dependents = new IdentityHashMap<>();
            for (Node a : anchors) { deps.put(a, Collections.newSetFromMap(new IdentityHashMap<>())); dependents.put(a, new ArrayList<>()); }
            for (Node n : order) {
                Node ga = groupOf.get(n);
                for (Var in : n.inputs()) {
                    if (in.owner() == null) continue;
                    Node gb = groupOf.get(in.owner());
                    if (gb != ga && deps.get(ga).add(gb)) dependents.get(gb).add(ga);
                }
            }
            if (plan != null) {
                // the optimizer's in-place plan: the other readers of an updated variable run first
                for (InplacePlan.Entry e : plan.entries().values()) {
                    Node gu = groupOf.get(e.node());
                    if (gu == null) continue;
                    for (Node r : e.runFirst()) {
                        Node gr = groupOf.get(r);
                        if (gr == null || gr == gu || deps.get(gu).contains(gr) || reaches(gr, gu, deps)) continue;
                        deps.get(gu).add(gr);
                        dependents.get(gr).add(gu);
                    }
                }
            }
            Map<Node, Boolean> deferred = new IdentityHashMap<>();
            for (Node a : anchors) {
                boolean d = false;
                for (Var o : a.outputs()) d |= updateVars.contains(o);
                deferred.put(a, d);
            }
            PriorityQueue<Node> ready = new PriorityQueue<>((x, y) -> {
                int c = Boolean.compare(deferred.get(x), deferred.get(y));
                return c != 0 ? c : Integer.compare(dfsIndex.get(x), dfsIndex.get(y));
            });
            Map<Node, Integer> missing = new IdentityHashMap<>();
            for (Node a : anchors) { missing.put(a, deps.get(a).size()); if (deps.get(a).isEmpty()) ready.add(a); }
            List<Node> groupOrder = new ArrayList<>();
            while (!ready.isEmpty()) {
                Node a = ready.poll();
                groupOrder.add(a);
                for (Node d : dependents.get(a)) if (missing.merge(d, -1, Integer::sum) == 0) ready.add(d);
            }
            if (groupOrder.size() != anchors.size()) throw new IllegalStateException("codegen: cycle among kernels");

            // 3. emit steps
            for (Node n : groupOrder) emit(n, dotOf.get(n), prologueOf.get(n));

            // 4. updates claim the values they assign, then outputs
            List<int[]> candidates = new ArrayList<>();   // {update index, shared index, value id}
            for (int i = 0; i < g.updates().size(); i++) {
                FunctionGraph.Update u = g.updates().get(i);
                int t = value(u.target());
                int sIndex = sharedVars.indexOf(u.target());
                int v = value(u.value());
                if (root(v) == t && vb(v).contiguous && v == t) {           // w <- w: nothing to do
                    updates.add(new UpdateAssignment(sIndex, v, UpdateAssignment.Mode.IN_PLACE));
                    continue;
                }
                if (isProducedRoot(v) && claimed.add(v)) {
                    candidates.add(new int[] {updates.size(), sIndex, v});
                    updates.add(null);
                } else {
                    int back = backBuffer(sIndex);
                    VB c = copyValue(v, back);
                    tail.add(copyStep(v, c, "update of " + sharedVars.get(sIndex).name()));
                    updates.add(new UpdateAssignment(sIndex, c.id, UpdateAssignment.Mode.SWAP));
                }
            }
            for (int k = 0; k < g.outputs().size(); k++) {
                Var o = g.outputs().get(k);
                int v = value(o);
                int out = addBuffer(Buffer.Kind.OUTPUT, name(o, "out" + k), o.dtype(), k, null);
                if (isProducedRoot(v) && claimed.add(v)) {
                    vb(v).buffer = out;
                    outputValues.add(v);
                } else {
                    VB c = copyValue(v, out);
                    Step copy = copyStep(v, c, "output " + k);
                    int r = root(v);
                    if (vb(r).producer == null) prelude.add(copy);
                    else entryOf.get(vb(r).producer).after.add(copy);
                    outputValues.add(c.id);
                }
            }
            steps = new ArrayList<>(prelude);
            for (Entry e : entries) { steps.add(e.step); steps.addAll(e.after); }
            steps.addAll(tail);

            // 5. in place or double-buffered
            for (int[] c : candidates) {
                int sIndex = c[1], v = c[2];
                int t = value(sharedVars.get(sIndex));
                if (canWriteInPlace(t, v)) {
                    vb(v).buffer = sharedBuffer.get(sIndex);
                    updates.set(c[0], new UpdateAssignment(sIndex, v, UpdateAssignment.Mode.IN_PLACE));
                } else {
                    vb(v).buffer = backBuffer(sIndex);
                    updates.set(c[0], new UpdateAssignment(sIndex, v, UpdateAssignment.Mode.SWAP));
                }
            }

            // 6. temporaries by liveness
            planTemporaries();
        }

        /** Whether group {@code from} depends, directly or not, on group {@code to}. */
        static boolean reaches(Node from, Node to, Map<Node, Set<Node>> deps) {
            java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>(List.of(from));
            Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            while (!stack.isEmpty()) {
                Node n = stack.pop();
                if (n == to) return true;
                if (seen.add(n)) stack.addAll(deps.get(n));
            }
            return false;
        }

        static Node soleClient(Var v, Map<Var, List<Node>> clients, Set<Var> results) {
            if (results.contains(v)) return null;
            List<Node> cl = clients.getOrDefault(v, List.of());
            if (cl.isEmpty()) return null;
            Node first = cl.get(0);
            for (Node n : cl) if (n != first) return null;
            return first;
        }

        /** The epilogue's result has the product's shape: the product is never stretched. */
        static boolean epilogueFits(Var product, Node e) {
            int[] p = product.type().shape();
            for (Var o : e.outputs()) {
                int[] s = o.type().shape();
                if (s.length != p.length) return false;
                for (int i = 0; i < p.length; i++) if (p[i] == 1 && s[i] != 1) return false;
            }
            return true;
        }

        boolean isProducedRoot(int v) {
            VB b = vb(v);
            return b.aliasOf < 0 && !b.virtual && !b.leaf && b.producer != null && b.buffer < 0;
        }

        int backBuffer(int sIndex) {
            return sharedBackBuffer.computeIfAbsent(sIndex, k -> addBuffer(Buffer.Kind.SHARED_BACK,
                    shared.get(k).name() + "_back", shared.get(k).dtype(), k, null));
        }

        VB copyValue(int src, int buffer) {
            VB s = vb(src);
            VB c = newValue(s.name, s.dtype, s.staticShape, new ShapeRule.Same(src), s.site);
            c.buffer = buffer;
            return c;
        }

        // ---- emitting ----------------------------------------------------------------------------

        String kernelName(String kind) { return "tcc_" + fname + "_k" + (kernelCounter++) + "_" + kind; }

        void add(Step s) {
            Entry e = new Entry(s);
            entries.add(e);
            entryOf.put(s, e);
            for (int w : s.writes()) if (vb(w).aliasOf < 0) vb(w).producer = s;
        }

        /** An identity (or cast) elementwise step from {@code src} into {@code dst}. */
        Step copyStep(int src, VB dst, String why) {
            String k = kernelName("copy");
            bodies.put(k, ScalarProgram.copy(vb(src).dtype, dst.dtype, vb(src).name, vb(src).site));
            Step s = new ElementwiseStep(k, wide(dst.staticShape), List.of(src), List.of(accessFor(src, dst.staticShape)),
                    List.of(dst.id), "copy of '" + vb(src).name + "' (" + why + ")");
            dst.producer = s;
            return s;
        }

        /** {@code v} itself if contiguous and stored, else a contiguous copy (made once). */
        int contiguous(int v) {
            if (vb(v).contiguous && stored(v)) return v;
            Integer m = materialized.get(v);
            if (m != null) return m;
            VB c = newValue(vb(v).name + "_c", vb(v).dtype, vb(v).staticShape, new ShapeRule.Same(v), vb(v).site);
            String k = kernelName("copy");
            bodies.put(k, ScalarProgram.copy(vb(v).dtype, c.dtype, vb(v).name, vb(v).site));
            add(new ElementwiseStep(k, wide(c.staticShape), List.of(v), List.of(accessFor(v, c.staticShape)), List.of(c.id),
                    "contiguous copy of '" + vb(v).name + "'"));
            materialized.put(v, c.id);
            return c.id;
        }

        static boolean wide(int[] staticShape) {
            long n = 1;
            for (int s : staticShape) {
                if (s == TensorType.UNKNOWN) return true;
                n *= s;
            }
            return n > Step.I32_LIMIT;
        }

        /** How value {@code v} is read over an iteration space of static shape {@code iter}. */
        Access accessFor(int v, int[] iter) {
            int[] s = vb(v).staticShape;
            boolean scalar = true;
            for (int d : s) scalar &= d == 1;
            if (scalar) return Access.SCALAR;
            if (!vb(v).contiguous || s.length != iter.length) return Access.STRIDED;
            for (int i = 0; i < s.length; i++) if (s[i] == 1 && iter[i] != 1) return Access.STRIDED;
            return Access.CONTIGUOUS;
        }

        /** Operands of an elementwise node: literals for size-1 constants, kernel inputs otherwise. */
        record Operands(List<ScalarProgram.Operand> slots, List<Integer> inputs) {}

        Operands operands(Node n, Var inlineAs, int inlineValue) {
            List<ScalarProgram.Operand> slots = new ArrayList<>();
            List<Integer> inputs = new ArrayList<>();
            for (Var in : n.inputs()) {
                if (in instanceof Constant c && c.value().size() == 1) {
                    NDArray a = c.value();
                    slots.add(new ScalarProgram.Literal(c.dtype(), a.getFlat(0), a.getLongFlat(0), c.site().toString()));
                    continue;
                }
                int v = in == inlineAs ? inlineValue : value(in);
                int k = inputs.indexOf(v);
                if (k < 0) { k = inputs.size(); inputs.add(v); }
                slots.add(new ScalarProgram.In(k, in.dtype(), vb(v).name));
            }
            return new Operands(slots, inputs);
        }

        ScalarProgram program(Node n, List<ScalarProgram.Operand> slots) {
            List<FusedElemwise.Instr> instrs;
            List<Integer> outs = new ArrayList<>();
            if (n.op() instanceof FusedElemwise f) {
                instrs = f.program();
                for (int o : f.outputs()) outs.add(f.nInputs() + o);
            } else {
                Elemwise e = (Elemwise) n.op();
                List<Integer> args = new ArrayList<>();
                for (int i = 0; i < n.inputs().size(); i++) args.add(i);
                instrs = List.of(new FusedElemwise.Instr(e.scalar(), e.castTo(), n.output().dtype(), args));
                outs.add(n.inputs().size());
            }
            List<String> names = new ArrayList<>();
            for (Var o : n.outputs()) {
                Integer id = valueOf.get(o);
                names.add(o.name() != null ? o.name() : id != null ? vb(id).name : n.op().name());
            }
            List<String> sites = new ArrayList<>();
            List<Site> known = instrSites.getOrDefault(n, List.of());
            for (int j = 0; j < instrs.size(); j++)
                sites.add((known.size() == instrs.size() && known.get(j) != null ? known.get(j) : n.site()).toString());
            return new ScalarProgram(slots, instrs, outs, names, n.site().toString(), sites);
        }

        List<Access> access(List<Integer> inputs, int[] iter) {
            List<Access> a = new ArrayList<>();
            for (int v : inputs) a.add(accessFor(v, iter));
            return a;
        }

        String at(Node n) { return " at " + n.site(); }

        void emit(Node n, Node dot, Node prologue) {
            var op = n.op();
            if (dot != null) { emitGemm(dot, n); return; }
            if (op instanceof Elemwise || op instanceof FusedElemwise) {
                Operands ops = operands(n, null, -1);
                int[] iter = n.output().type().shape();
                List<Integer> outs = new ArrayList<>();
                for (Var o : n.outputs()) outs.add(newValue(o, new ShapeRule.Broadcast(ops.inputs(), iter.length)).id);
                String k = kernelName("elem");
                ScalarProgram body = program(n, ops.slots());
                bodies.put(k, body);
                add(new ElementwiseStep(k, wide(iter), ops.inputs(), access(ops.inputs(), iter), outs,
                        "elementwise{" + body.opNames() + "}" + at(n)));
            } else if (op instanceof Dot || op instanceof BatchedMatMul) {
                emitGemm(n, null);
            } else if (op instanceof Reduce r) {
                emitReduce(n, r, prologue);
            } else if (op instanceof Softmax s) {
                int in = contiguous(value(n.input(0)));
                VB out = newValue(n.output(), new ShapeRule.Same(in));
                String k = kernelName(s.log() ? "logsoftmax" : "softmax");
                add(new SoftmaxStep(k, wide(vb(in).staticShape), in, out.id, s.axis(), s.log(), op.name() + at(n)));
            } else if (op instanceof DimShuffle d) {
                int src = value(n.input(0));
                VB v = newValue(n.output(), new ShapeRule.Permute(src, d.pattern()));
                v.aliasOf = src;
                v.contiguous = vb(src).contiguous && keepsOrder(d.pattern());
            } else if (op instanceof Reshape r) {
                int src = contiguous(value(n.input(0)));
                VB v = newValue(n.output(), new ShapeRule.Reshape(src, r.shape()));
                v.aliasOf = src;
            } else if (op instanceof Flatten f) {
                int src = contiguous(value(n.input(0)));
                VB v = newValue(n.output(), new ShapeRule.Flatten(src, f.ndim()));
                v.aliasOf = src;
            } else if (op instanceof ReshapeLike) {
                int src = contiguous(value(n.input(0)));
                VB v = newValue(n.output(), new ShapeRule.ReshapeLike(src, value(n.input(1))));
                v.aliasOf = src;
            } else if (op instanceof StopGradient) {
                valueOf.put(n.output(), value(n.input(0)));
            } else if (op instanceof ElementCount c) {
                int src = value(n.input(0));
                VB v = newValue(n.output(), new ShapeRule.Fixed(List.of()));
                String k = kernelName("fill");
                add(new FillStep(k, src, c.axes(), v.id, op.name() + at(n)));
            } else if (op instanceof Concatenate c) {
                List<Integer> parts = new ArrayList<>();
                for (Var in : n.inputs()) parts.add(contiguous(value(in)));
                VB v = newValue(n.output(), new ShapeRule.Concat(parts, c.axis()));
                String k = kernelName("concat");
                add(new ConcatStep(k, wide(v.staticShape), parts, v.id, c.axis(), op.name() + at(n)));
            } else if (op instanceof ConcatSlice cs) {
                int whole = contiguous(value(n.input(0)));
                List<Integer> parts = new ArrayList<>();
                for (int i = 1; i < n.inputs().size(); i++) parts.add(value(n.input(i)));
                VB v = newValue(n.output(), new ShapeRule.Same(parts.get(cs.index())));
                String k = kernelName("slice");
                add(new SliceStep(k, wide(vb(whole).staticShape), whole, parts, cs.index(), v.id, cs.axis(), op.name() + at(n)));
            } else {
                throw new TccException(n.site() + ": codegen has no kernel for " + op.name()
                        + " (" + op.getClass().getSimpleName() + "); use the interp backend");
            }
        }

        static boolean keepsOrder(List<Integer> pattern) {
            int last = -1;
            for (int p : pattern) {
                if (p < 0) continue;
                if (p < last) return false;
                last = p;
            }
            return true;
        }

        void emitReduce(Node n, Reduce r, Node prologue) {
            int source;
            List<Integer> inputs;
            ScalarProgram body;
            int[] iter = n.input(0).type().shape();
            if (prologue != null) {
                Operands ops = operands(prologue, null, -1);
                VB src = newValue(prologue.output(), new ShapeRule.Broadcast(ops.inputs(), iter.length));
                src.virtual = true;
                source = src.id;
                inputs = ops.inputs();
                body = program(prologue, ops.slots());
            } else {
                source = value(n.input(0));
                inputs = List.of(source);
                body = ScalarProgram.copy(vb(source).dtype, vb(source).dtype, vb(source).name, vb(source).site);
            }
            VB out = newValue(n.output(), new ShapeRule.Reduced(source, r.kind(), r.axes(), r.keepdims()));
            String k = kernelName("reduce");
            bodies.put(k, body);
            add(new ReduceStep(k, wide(iter), r.kind(), r.axes(), r.keepdims(), source, inputs, access(inputs, iter), out.id,
                    op(r, prologue == null ? null : body) + at(n)));
        }

        static String op(Reduce r, ScalarProgram prologue) {
            return r.name() + (prologue == null ? "" : " of elementwise{" + prologue.opNames() + "}");
        }

        void emitGemm(Node dot, Node epi) {
            int a = value(dot.input(0)), b = value(dot.input(1));
            boolean batched = dot.op() instanceof BatchedMatMul;
            boolean transA = false, transB = false;
            if (!batched && isTransposeView(a)) transA = true; else a = contiguous(a);
            if (!batched && isTransposeView(b)) transB = true; else b = contiguous(b);
            VB product = newValue(dot.output(), new ShapeRule.MatMul(a, b));
            int batchRank = batched ? dot.output().ndim() - 2 : 0;
            String k = kernelName("gemm");
            ElementwiseStep epilogue = null;
            List<Integer> outs = List.of(product.id);
            String desc = dot.op().name() + at(dot);
            if (epi != null) {
                Operands ops = operands(epi, dot.output(), product.id);
                int[] iter = dot.output().type().shape();
                List<Integer> eo = new ArrayList<>();
                for (Var o : epi.outputs()) eo.add(newValue(o, new ShapeRule.Broadcast(ops.inputs(), iter.length)).id);
                ScalarProgram body = program(epi, ops.slots());
                String ek = k + "_epilogue";
                bodies.put(ek, body);
                epilogue = new ElementwiseStep(ek, wide(iter), ops.inputs(), access(ops.inputs(), iter), eo,
                        "epilogue elementwise{" + body.opNames() + "}" + at(epi));
                outs = eo;
                desc += " with epilogue{" + body.opNames() + "}" + at(epi);
            }
            add(new GemmStep(k, a, b, transA, transB, product.id, batchRank, epilogue, outs, desc));
            product.producer = entries.get(entries.size() - 1).step;
        }

        /** A 2-D [1,0] dimshuffle of a contiguous stored matrix: GEMM reads it with a trans flag. */
        boolean isTransposeView(int v) {
            VB x = vb(v);
            if (x.contiguous || !(x.rule instanceof ShapeRule.Permute p)) return false;
            return p.pattern().equals(List.of(1, 0)) && vb(p.operand()).contiguous && stored(p.operand());
        }

        // ---- in-place updates ----------------------------------------------------------------------

        /**
         * Whether update value {@code v} (written by one step) may be written into the buffer of
         * shared value {@code t}: the writing step is elementwise in t (reads t only through
         * CONTIGUOUS elementwise operands, i.e. element i for element i, or, for a size-1 t,
         * SCALAR ones), and every other step that reads t's storage runs before it.
         */
        boolean canWriteInPlace(int t, int v) {
            Step w = vb(v).producer;
            int pos = indexOf(w);
            Set<Integer> group = storageGroup(t);
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                if (s == w) continue;
                boolean reads = false;
                for (int r : s.reads()) reads |= group.contains(r);
                if (reads && i > pos) return false;
            }
            boolean single = Schedule.staticSize(vb(t).staticShape) == 1;
            if (w instanceof ElementwiseStep e) return readsOnlyContiguously(e, group, single);
            if (w instanceof GemmStep gs) {
                if (group.contains(gs.a()) || group.contains(gs.b())) return false;
                return gs.epilogue() == null || readsOnlyContiguously(gs.epilogue(), group, single);
            }
            for (int r : w.reads()) if (group.contains(r)) return false;
            return true;
        }

        /** Element i of the old value is read only for element i of the result (a size-1 value has one element). */
        static boolean readsOnlyContiguously(ElementwiseStep e, Set<Integer> group, boolean single) {
            for (int k = 0; k < e.inputs().size(); k++) {
                if (!group.contains(e.inputs().get(k))) continue;
                Access a = e.access().get(k);
                if (a != Access.CONTIGUOUS && !(single && a == Access.SCALAR)) return false;
            }
            return true;
        }

        int indexOf(Step s) {
            for (int i = 0; i < steps.size(); i++) if (steps.get(i) == s) return i;
            throw new IllegalStateException("step not scheduled");
        }

        /** A value and every value sharing its storage. */
        Set<Integer> storageGroup(int v) {
            int r = root(v);
            Set<Integer> g = new LinkedHashSet<>();
            for (VB x : values) if (!x.virtual && root(x.id) == r) g.add(x.id);
            return g;
        }

        // ---- temporaries -----------------------------------------------------------------------------

        void planTemporaries() {
            Map<Integer, Integer> def = new HashMap<>(), last = new HashMap<>();
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                List<Integer> written = new ArrayList<>(s.writes());
                if (s instanceof GemmStep gs) written.add(gs.product());
                for (int w : written) {
                    int r = root(w);
                    if (vb(r).buffer < 0 && !vb(r).virtual) { def.putIfAbsent(r, i); last.merge(r, i, Math::max); }
                }
                for (int rd : s.reads()) {
                    int r = root(rd);
                    if (def.containsKey(r)) last.merge(r, i, Math::max);
                }
            }
            List<Integer> roots = new ArrayList<>(def.keySet());
            roots.sort((x, y) -> def.get(x).equals(def.get(y)) ? Integer.compare(x, y) : Integer.compare(def.get(x), def.get(y)));
            // buffer id -> step after which it is free again
            Map<Integer, Integer> busyUntil = new LinkedHashMap<>();
            Map<Integer, String> signature = new HashMap<>();
            int temps = 0;
            for (int r : roots) {
                int d = def.get(r);
                String sig = vb(r).dtype + java.util.Arrays.toString(vb(r).staticShape);
                Integer pick = null;
                for (Map.Entry<Integer, Integer> e : busyUntil.entrySet())
                    if (e.getValue() < d && sig.equals(signature.get(e.getKey()))) { pick = e.getKey(); break; }
                if (pick == null)
                    for (Map.Entry<Integer, Integer> e : busyUntil.entrySet())
                        if (e.getValue() < d) { pick = e.getKey(); break; }
                if (pick == null) pick = addBuffer(Buffer.Kind.TEMP, "tmp" + (temps++), null, -1, null);
                busyUntil.put(pick, last.get(r));
                signature.put(pick, sig);
                vb(r).buffer = pick;
            }
        }

        // ---- result ----------------------------------------------------------------------------------

        Program program() {
            List<Value> vs = new ArrayList<>();
            for (VB v : values) {
                int buf = v.virtual ? -1 : vb(root(v.id)).buffer;
                if (!v.virtual && buf < 0) throw new IllegalStateException("value " + v.id + " '" + v.name + "' has no buffer");
                vs.add(new Value(v.id, v.name, v.dtype, Shapes.boxed(v.staticShape), v.rule, buf, v.contiguous, v.site));
            }
            return new Program(Program.FORMAT_VERSION, fname, options.fastMath(), inputs, shared, buffers, vs, steps,
                    outputValues, updates, new Sources("", "", List.of(), List.of()));
        }
    }

    /** Used by tests and the CLI: the number of elements a static shape has, or -1 if unknown. */
    static long staticSize(int[] shape) {
        long n = 1;
        for (int s : shape) { if (s < 0) return -1; n *= s; }
        return n;
    }

    @SuppressWarnings("unused")
    private static int[] broadcastStatic(List<TensorType> types) { return Broadcasting.staticShape(types); }
}
