package dev.tcc.codegen;

import dev.tcc.DType;
import dev.tcc.codegen.program.Access;
import dev.tcc.codegen.program.ConcatStep;
import dev.tcc.codegen.program.ElementwiseStep;
import dev.tcc.codegen.program.FillStep;
import dev.tcc.codegen.program.GemmStep;
import dev.tcc.codegen.program.Program;
import dev.tcc.codegen.program.ReduceStep;
import dev.tcc.codegen.program.SliceStep;
import dev.tcc.codegen.program.SoftmaxStep;
import dev.tcc.codegen.program.Sources;
import dev.tcc.codegen.program.Step;
import dev.tcc.codegen.program.Value;
import dev.tcc.ops.ReduceKind;
import freemarker.cache.ClassTemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a Program's kernels as one CUDA C and one C translation unit. Java computes the parts that
 * depend on the kernel (signature, index arithmetic, the scalar body via {@link ScalarRenderer});
 * the FreeMarker templates under {@code templates/cuda} and {@code templates/c} give each kernel
 * kind its skeleton (loops, reductions, tiles) in each language.
 */
public final class SourceGenerator {
    private SourceGenerator() {}

    private static final Configuration FM = new Configuration(Configuration.VERSION_2_3_33);

    static {
        FM.setTemplateLoader(new ClassTemplateLoader(SourceGenerator.class, "/templates"));
        FM.setDefaultEncoding("UTF-8");
        FM.setNumberFormat("computer");
        FM.setBooleanFormat("c");
        FM.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        FM.setLogTemplateExceptions(false);
        FM.setWrapUncheckedExceptions(true);
        FM.setFallbackOnNullLoopVariable(false);
        // templates live in the jar and never change while it runs: no lookups of localized
        // variants (name_en_US.ftl, name_en.ftl) and no staleness checks, which a fresh JVM pays
        // for in class-path searches on every template
        FM.setLocalizedLookup(false);
        FM.setTemplateUpdateDelayMilliseconds(Long.MAX_VALUE);
    }

    /** NVRTC options for the generated CUDA (the architecture is the caller's). */
    public static List<String> nvrtcOptions(boolean fastMath) {
        return fastMath ? List.of("--use_fast_math") : List.of("--fmad=false");
    }

    /** C compiler flags for the generated C. */
    public static List<String> cFlags(boolean fastMath) {
        List<String> f = new ArrayList<>(List.of("-O3", "-march=native", "-fopenmp", "-fPIC", "-shared"));
        f.add(fastMath ? "-ffast-math" : "-ffp-contract=off");
        return List.copyOf(f);
    }

    static Sources generate(Program p, Map<String, ScalarProgram> bodies, java.util.Set<Target> targets) {
        return new Sources(targets.contains(Target.CUDA) ? render(p, bodies, new Dialect(Target.CUDA, p.fastMath())) : null,
                targets.contains(Target.C) ? render(p, bodies, new Dialect(Target.C, p.fastMath())) : null,
                nvrtcOptions(p.fastMath()), cFlags(p.fastMath()));
    }

    static String render(Program p, Map<String, ScalarProgram> bodies, Dialect d) {
        String ext = d.cuda() ? "cu" : "c";
        String dir = d.cuda() ? "cuda/" : "c/";
        StringBuilder out = new StringBuilder();
        out.append("// tcc program '").append(p.name()).append("': ").append(p.steps().size()).append(" steps, generated ")
                .append(d.cuda() ? "CUDA C for NVRTC" : "C for cc -fopenmp").append(d.fastMath() ? " (fast math)" : " (IEEE)")
                .append(". Do not edit.\n// Each kernel's comment names the graph expression it computes and where it was written.\n");
        out.append(template(dir + "prelude." + ext + ".ftl", Map.of("d", d.model())));
        for (int i = 0; i < p.steps().size(); i++) {
            Step s = p.steps().get(i);
            Kernel k = new Kernel(p, d, bodies, s);
            String kind;
            Map<String, Object> m;
            if (s instanceof ElementwiseStep e) { kind = "elementwise"; m = k.elementwise(e, bodies.get(e.kernel())); }
            else if (s instanceof ReduceStep r) { kind = "reduce"; m = k.reduce(r, bodies.get(r.kernel())); }
            else if (s instanceof GemmStep g) {
                if (g.epilogue() != null) {
                    out.append("\n// ---- step ").append(i).append(" (BLAS path): epilogue of ").append(g.kernel()).append('\n');
                    Kernel ek = new Kernel(p, d, bodies, g.epilogue());
                    out.append(template(dir + "elementwise." + ext + ".ftl",
                            Map.of("d", d.model(), "k", ek.elementwise(g.epilogue(), bodies.get(g.epilogue().kernel())))));
                }
                kind = "gemm";
                m = k.gemm(g, g.epilogue() == null ? null : bodies.get(g.epilogue().kernel()));
            }
            else if (s instanceof SoftmaxStep sm) { kind = "softmax"; m = k.softmax(sm); }
            else if (s instanceof ConcatStep c) { kind = "concat"; m = k.concat(c); }
            else if (s instanceof SliceStep sl) { kind = "slice"; m = k.slice(sl); }
            else if (s instanceof FillStep f) { kind = "fill"; m = k.fill(f); }
            else throw new AssertionError(s);
            out.append("\n// ---- step ").append(i).append(": ").append(s.description().replace('\n', ' ')).append('\n');
            // a CPU backend with BLAS never calls this loop nest (GemmStep#blasEligible): it compiles
            // with -DTCC_CPU_BLAS and skips it, which halves the compile time of a typical network
            boolean blasGuard = !d.cuda() && s instanceof GemmStep g && g.blasEligible(p);
            if (blasGuard) out.append("#ifndef TCC_CPU_BLAS\n");
            out.append(template(dir + kind + "." + ext + ".ftl", Map.of("d", d.model(), "k", m)));
            if (blasGuard) out.append("#endif /* TCC_CPU_BLAS */\n");
        }
        return out.toString();
    }

    static String template(String name, Map<String, Object> model) {
        try {
            Template t = FM.getTemplate(name);
            StringWriter w = new StringWriter();
            t.process(model, w);
            return w.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("template " + name + " is missing or unreadable (is tcc-templates on the classpath?)", e);
        } catch (TemplateException e) {
            throw new IllegalStateException("template " + name + " failed: " + e.getMessage(), e);
        }
    }

    // ============================================================================================

    /** The pieces of one kernel a template needs: signature, parameter loads, index and body lines. */
    private static final class Kernel {
        final Program p;
        final Dialect d;
        final Step step;
        final List<String> sig = new ArrayList<>();
        final List<String> call = new ArrayList<>();
        final List<String> loads = new ArrayList<>();
        /** Index type in the body: CUDA's template parameter, or int64_t in C. */
        final String idx;
        final ScalarRenderer renderer;

        Kernel(Program p, Dialect d, Map<String, ScalarProgram> bodies, Step step) {
            this.p = p;
            this.d = d;
            this.step = step;
            this.idx = d.cuda() ? "idx_t" : "int64_t";
            this.renderer = new ScalarRenderer(d);
        }

        DType dt(int value) { return p.value(value).dtype(); }

        String type(int value) { return d.type(dt(value)); }

        /** Whether an output shares a buffer with an input (in-place update): then no restrict. */
        boolean aliased(List<Integer> outs, List<Integer> ins) {
            for (int o : outs) for (int i : ins) if (p.value(o).buffer() == p.value(i).buffer()) return true;
            return false;
        }

        void pointer(int value, String name, boolean write, boolean restrict) {
            sig.add((write ? "" : "const ") + type(value) + "* " + (restrict ? d.restrict() + " " : "") + name);
            call.add(name);
        }

        void param(String name, String localType) {
            sig.add(d.paramType() + " p_" + name);
            call.add("p_" + name);
            loads.add("const " + localType + " " + name + " = (" + localType + ")p_" + name + ";");
        }

        Map<String, Object> base() {
            Map<String, Object> m = new HashMap<>();
            m.put("name", step.kernel());
            m.put("description", step.description().replace("*/", "* /"));
            m.put("sig", String.join(", ", sig));
            m.put("call", String.join(", ", call));
            m.put("loads", loads);
            return m;
        }

        /** Pointers for outputs (out0..) then inputs (in0..), with restrict unless they alias. */
        void pointers(List<Integer> outs, List<Integer> ins, List<Integer> skipInputs) {
            boolean restrict = !aliased(outs, ins);
            for (int j = 0; j < outs.size(); j++) pointer(outs.get(j), "out" + j, true, restrict);
            for (int k = 0; k < ins.size(); k++) if (!skipInputs.contains(k)) pointer(ins.get(k), "in" + k, false, restrict);
        }

        /** Decomposes flat index {@code flat} over dims d0..d(nd-1) and computes each strided input's offset o<k>. */
        List<String> stridedIndex(String flat, int nd, List<Access> access) {
            List<String> lines = new ArrayList<>();
            if (!access.contains(Access.STRIDED)) return lines;
            lines.add(idx + " r_ = " + flat + ";");
            for (int ax = nd - 1; ax >= 0; ax--) {
                if (ax == 0) lines.add("const " + idx + " i0 = r_;");
                else lines.add("const " + idx + " i" + ax + " = r_ % d" + ax + "; r_ /= d" + ax + ";");
            }
            offsets(lines, nd, access);
            return lines;
        }

        void offsets(List<String> lines, int nd, List<Access> access) {
            for (int k = 0; k < access.size(); k++) {
                if (access.get(k) != Access.STRIDED) continue;
                StringBuilder b = new StringBuilder("const " + idx + " o" + k + " = ");
                if (nd == 0) b.append("0");
                for (int ax = 0; ax < nd; ax++) b.append(ax > 0 ? " + " : "").append("i").append(ax).append(" * s").append(k).append('_').append(ax);
                lines.add(b.append(';').toString());
            }
        }

        void iterationParams(int nd, List<Access> access) {
            param("n", idx);
            if (!access.contains(Access.STRIDED)) return;
            for (int ax = 0; ax < nd; ax++) param("d" + ax, idx);
            for (int k = 0; k < access.size(); k++)
                if (access.get(k) == Access.STRIDED) for (int ax = 0; ax < nd; ax++) param("s" + k + "_" + ax, idx);
        }

        static String load(int k, Access a, String flat) {
            return "in" + k + "[" + (a == Access.CONTIGUOUS ? flat : a == Access.SCALAR ? "0" : "o" + k) + "]";
        }

        // ---- elementwise --------------------------------------------------------------------------

        Map<String, Object> elementwise(ElementwiseStep e, ScalarProgram body) {
            int nd = p.value(e.outputs().get(0)).ndim();
            pointers(e.outputs(), e.inputs(), List.of());
            iterationParams(nd, e.access());
            Map<String, Object> m = base();
            m.put("wide", e.wide());
            m.put("index", stridedIndex("i", nd, e.access()));
            // C: with strided operands, a loop over rows (index arithmetic once per row) around a
            // vectorizable loop over the last axis
            boolean rows = !d.cuda() && e.access().contains(Access.STRIDED) && nd >= 1;
            m.put("rows", rows);
            if (rows) {
                List<String> rowIndex = new ArrayList<>();
                List<String> inner = new ArrayList<>();
                rowIndex.add("int64_t r_ = row;");
                for (int ax = nd - 2; ax >= 0; ax--) {
                    if (ax == 0) rowIndex.add("const int64_t i0 = r_;");
                    else rowIndex.add("const int64_t i" + ax + " = r_ % d" + ax + "; r_ /= d" + ax + ";");
                }
                for (int k = 0; k < e.access().size(); k++) {
                    if (e.access().get(k) != Access.STRIDED) continue;
                    StringBuilder b = new StringBuilder("const int64_t base" + k + " = ");
                    if (nd == 1) b.append("0");
                    for (int ax = 0; ax < nd - 1; ax++) b.append(ax > 0 ? " + " : "").append("i").append(ax).append(" * s").append(k).append('_').append(ax);
                    rowIndex.add(b.append(';').toString());
                    inner.add("const int64_t o" + k + " = base" + k + " + j * s" + k + "_" + (nd - 1) + ";");
                }
                m.put("rowIndex", rowIndex);
                m.put("innerIndex", inner);
                m.put("last", "d" + (nd - 1));
            }
            List<String> stores = new ArrayList<>();
            for (int j = 0; j < e.outputs().size(); j++) stores.add("out" + j + "[i]");
            m.put("body", renderer.render(body, k -> load(k, e.access().get(k), "i"), stores));
            if (d.cuda()) {
                // the unrolled round: results kept in r<j>[u_] and stored after all its loads
                List<String> staged = new ArrayList<>(), types = new ArrayList<>();
                for (int j = 0; j < e.outputs().size(); j++) {
                    staged.add("r" + j + "[u_]");
                    types.add(type(e.outputs().get(j)));
                }
                m.put("staged", renderer.render(body, k -> load(k, e.access().get(k), "i"), staged));
                m.put("outTypes", types);
                m.put("unroll", ElementwiseStep.UNROLL);
            }
            return m;
        }

        // ---- reduce ---------------------------------------------------------------------------------

        Map<String, Object> reduce(ReduceStep r, ScalarProgram body) {
            Value src = p.value(r.source());
            int nd = src.ndim();
            pointers(List.of(r.output()), r.inputs(), List.of());
            param("outSize", idx);
            param("redSize", idx);
            for (int ax = 0; ax < nd; ax++) param("d" + ax, idx);
            for (int k = 0; k < r.access().size(); k++)
                if (r.access().get(k) == Access.STRIDED) for (int ax = 0; ax < nd; ax++) param("s" + k + "_" + ax, idx);
            Map<String, Object> m = base();
            m.put("wide", r.wide());

            // index of element (o, r_) of the source
            List<String> index = new ArrayList<>();
            List<Integer> axes = r.axes();
            boolean strided = r.access().contains(Access.STRIDED);
            boolean suffix = true, prefix = true;
            for (int i = 0; i < axes.size(); i++) {
                suffix &= axes.get(i) == nd - axes.size() + i;
                prefix &= axes.get(i) == i;
            }
            if (!strided && suffix) index.add("const " + idx + " f = o * redSize + r;");
            else if (!strided && prefix) index.add("const " + idx + " f = r * outSize + o;");
            else {
                index.add(idx + " ko_ = o, kr_ = r;");
                for (int ax = nd - 1; ax >= 0; ax--) {
                    String v = axes.contains(ax) ? "kr_" : "ko_";
                    index.add("const " + idx + " i" + ax + " = " + v + " % d" + ax + "; " + v + " /= d" + ax + ";");
                }
                String f = nd == 0 ? "0" : "i0";
                for (int ax = 1; ax < nd; ax++) f = (ax == 1 ? f : "(" + f + ")") + " * d" + ax + " + i" + ax;
                index.add("const " + idx + " f = " + f + ";");
                offsets(index, nd, r.access());
            }
            m.put("index", index);
            // reduced axes first, kept axes after (a column sum): the C kernel walks the source row
            // by row for blocks of adjacent outputs, reading contiguously instead of with a stride;
            // the CUDA source gets a _cols entry (a lane an output) for many outputs
            m.put("columns", r.columns(p));
            m.put("body", renderer.render(body, k -> load(k, r.access().get(k), "f"), null));

            DType in = body.slotType(body.outputs().get(0));
            DType out = dt(r.output());
            ReduceKind kind = r.reduceKind();
            DType acc;
            switch (kind) {
                case SUM: case PROD: case MEAN:
                    acc = in.isFloat() ? (p.fastMath() ? in : DType.FLOAT64) : (kind == ReduceKind.MEAN ? DType.FLOAT64 : DType.INT64);
                    break;
                default: acc = in.isFloat() ? in : DType.INT64;
            }
            String at = d.type(acc), sx = Dialect.suffix(acc);
            m.put("acc", at);
            m.put("arg", kind.isArg());
            String identity;
            switch (kind) {
                case SUM: case MEAN: identity = d.literal(acc, 0, 0); break;
                case PROD: identity = d.literal(acc, 1, 1); break;
                case MAX: identity = acc.isFloat() ? "(-" + d.inf(acc) + ")" : d.literal(acc, 0, Long.MIN_VALUE); break;
                case MIN: identity = acc.isFloat() ? d.inf(acc) : d.literal(acc, 0, Long.MAX_VALUE); break;
                default: identity = d.literal(acc, 0, 0);
            }
            m.put("identity", identity);
            String x = renderer.convert(ScalarRenderer.slot(body.outputs().get(0)), in, acc);
            m.put("element", x);
            m.put("accumulate", combine(kind, acc, sx, "acc", "acci", "x_", "(int64_t)r"));
            m.put("combineShfl", combine(kind, acc, sx, "acc", "acci", "ov", "oi"));
            m.put("combinePart", combine(kind, acc, sx, "acc", "acci", "part_v[t_]", "part_i[t_]"));
            m.put("combineColumn", combine(kind, acc, sx, "acc", "acci", "part_v[t_][c_]", "part_i[t_][c_]"));
            String fin;
            switch (kind) {
                case MEAN: fin = renderer.convert("(acc / (" + at + ")redSize)", acc, out); break;
                case ARGMAX: case ARGMIN: fin = "(acci < 0 ? 0 : acci)"; break;
                default: fin = renderer.convert("acc", acc, out);
            }
            m.put("finalize", fin);
            return m;
        }

        static String combine(ReduceKind kind, DType acc, String sx, String a, String ai, String b, String bi) {
            boolean integer = !acc.isFloat();
            switch (kind) {
                case SUM: case MEAN:
                    return a + " = " + (integer ? "(int64_t)((uint64_t)" + a + " + (uint64_t)" + b + ")" : a + " + " + b) + ";";
                case PROD:
                    return a + " = " + (integer ? "(int64_t)((uint64_t)" + a + " * (uint64_t)" + b + ")" : a + " * " + b) + ";";
                case MAX: return a + " = tcc_max_" + sx + "(" + a + ", " + b + ");";
                case MIN: return a + " = tcc_min_" + sx + "(" + a + ", " + b + ");";
                case ARGMAX: case ARGMIN:
                    return "if (tcc_arg" + (kind == ReduceKind.ARGMAX ? "max" : "min") + "_beats_" + sx + "(" + b + ", " + bi + ", "
                            + a + ", " + ai + ")) { " + a + " = " + b + "; " + ai + " = " + bi + "; }";
                default: throw new AssertionError(kind);
            }
        }

        // ---- gemm -----------------------------------------------------------------------------------

        Map<String, Object> gemm(GemmStep g, ScalarProgram epi) {
            String li = d.cuda() ? "long long" : "int64_t";
            List<Integer> epiIn = g.epilogue() == null ? List.of() : g.epilogue().inputs();
            int productSlot = epiIn.indexOf(g.product());
            List<Integer> all = new ArrayList<>(List.of(g.a(), g.b()));
            all.addAll(epiIn);
            boolean restrict = !aliased(g.outputs(), all);
            for (int j = 0; j < g.outputs().size(); j++) pointer(g.outputs().get(j), "out" + j, true, restrict);
            pointer(g.a(), "a", false, restrict);
            pointer(g.b(), "b", false, restrict);
            for (int k = 0; k < epiIn.size(); k++) if (k != productSlot) pointer(epiIn.get(k), "in" + k, false, restrict);
            param("M", li);
            param("N", li);
            param("K", li);
            for (int i = 0; i < g.batchRank(); i++) { param("bd" + i, li); param("bsa" + i, li); param("bsb" + i, li); }
            Value prod = p.value(g.product());
            int nd = prod.ndim();
            List<Access> access = g.epilogue() == null ? List.of() : g.epilogue().access();
            if (g.epilogue() != null) {
                // the epilogue's iteration parameters, named as in an elementwise kernel
                sig.add(d.paramType() + " p_n");
                call.add("p_n");
                if (access.contains(Access.STRIDED)) {
                    for (int ax = 0; ax < nd; ax++) param("d" + ax, li);
                    for (int k = 0; k < access.size(); k++)
                        if (access.get(k) == Access.STRIDED) for (int ax = 0; ax < nd; ax++) param("s" + k + "_" + ax, li);
                }
            }
            Map<String, Object> m = base();
            DType ta = dt(g.a()), tb = dt(g.b()), tp = prod.dtype();
            DType acc = tp.isFloat() ? tp : DType.INT64;
            m.put("ta", d.type(ta));
            m.put("tb", d.type(tb));
            m.put("acc", d.type(acc));
            m.put("zero", d.literal(acc, 0, 0));
            m.put("transA", g.transA());
            m.put("transB", g.transB());
            m.put("batchRank", g.batchRank());
            // matrix-vector: "b" when b is the vector, "a" when a is; "" for the tiled entries
            m.put("mv", !g.matrixVector(p) ? "" : p.value(g.b()).ndim() == 1 ? "b" : "a");
            m.put("mvRows", g.matrixVector(p) && g.matrixVectorRows(p));
            String mad;
            if (!acc.isFloat()) mad = "ACC = (int64_t)((uint64_t)ACC + (uint64_t)X * (uint64_t)Y);";
            else if (d.cuda()) mad = "ACC = " + (acc == DType.FLOAT32 ? "fmaf" : "fma") + "(X, Y, ACC);";
            else mad = "ACC = ACC + X * Y;";
            m.put("mad", mad);
            m.put("add", combine(ReduceKind.SUM, acc, Dialect.suffix(acc), "ACC", null, "V", null));
            m.put("ptype", d.type(tp));
            m.put("product", renderer.convert("ACC", acc, tp));
            // epilogue at flat index f with the product value pv; the product's multi-index is
            // known (batch indices bi*, then row and column), so strided offsets need no division
            String savedIdx = "f";
            List<String> index = new ArrayList<>();
            if (access.contains(Access.STRIDED)) {
                List<String> axis = new ArrayList<>();
                for (int i = 0; i < g.batchRank(); i++) axis.add("bi" + i);
                String row = d.cuda() ? "gm" : "i", col = d.cuda() ? "gn" : "j";
                int ra = p.value(g.a()).ndim(), rb = p.value(g.b()).ndim();
                if (ra >= 2) axis.add(row);
                if (rb >= 2) axis.add(col);
                if (axis.size() != nd) throw new IllegalStateException("product rank " + nd + " but axes " + axis);
                for (int k = 0; k < access.size(); k++) {
                    if (access.get(k) != Access.STRIDED) continue;
                    StringBuilder b = new StringBuilder("const " + li + " o" + k + " = ");
                    if (nd == 0) b.append("0");
                    for (int ax = 0; ax < nd; ax++) b.append(ax > 0 ? " + " : "").append(axis.get(ax)).append(" * s").append(k).append('_').append(ax);
                    index.add(b.append(';').toString());
                }
            }
            m.put("index", index);
            List<String> body;
            if (epi == null) body = List.of("out0[f] = pv;");
            else {
                List<String> stores = new ArrayList<>();
                for (int j = 0; j < g.outputs().size(); j++) stores.add("out" + j + "[" + savedIdx + "]");
                body = renderer.render(epi, k -> k == productSlot ? "pv" : load(k, access.get(k), savedIdx), stores);
            }
            m.put("body", body);
            return m;
        }

        // ---- the rest -------------------------------------------------------------------------------

        Map<String, Object> softmax(SoftmaxStep s) {
            pointers(List.of(s.output()), List.of(s.input()), List.of());
            param("outer", idx);
            param("len", idx);
            param("inner", idx);
            Map<String, Object> m = base();
            m.put("wide", s.wide());
            DType out = dt(s.output());
            DType ct = p.fastMath() ? out : DType.FLOAT64;
            m.put("ct", d.type(ct));
            m.put("tin", type(s.input()));
            m.put("tout", d.type(out));
            m.put("exp", d.math(dev.tcc.ops.ScalarOp.EXP, ct));
            m.put("logf", d.math(dev.tcc.ops.ScalarOp.LOG, ct));
            m.put("max", "tcc_max_" + Dialect.suffix(ct));
            m.put("ninf", "(-" + d.inf(ct) + ")");
            m.put("zero", d.literal(ct, 0, 0));
            m.put("log", s.log());
            return m;
        }

        Map<String, Object> concat(ConcatStep c) {
            pointers(List.of(c.output()), c.parts(), List.of());
            param("n", idx);
            param("inner", idx);
            param("total", idx);
            for (int k = 0; k < c.parts().size(); k++) param("len" + k, idx);
            Map<String, Object> m = base();
            m.put("wide", c.wide());
            m.put("parts", c.parts().size());
            m.put("tout", type(c.output()));
            return m;
        }

        Map<String, Object> slice(SliceStep s) {
            pointers(List.of(s.output()), List.of(s.whole()), List.of());
            for (String n : List.of("n", "inner", "len", "total", "start")) param(n, idx);
            Map<String, Object> m = base();
            m.put("wide", s.wide());
            m.put("tout", type(s.output()));
            return m;
        }

        Map<String, Object> fill(FillStep f) {
            pointer(f.output(), "out0", true, true);
            param("count", "int64_t");
            Map<String, Object> m = base();
            DType out = dt(f.output());
            m.put("value", renderer.convert("count", DType.INT64, out));
            return m;
        }
    }
}
