package dev.tcc.lang;

import dev.tcc.lang.Values.Kind;
import java.util.ArrayList;
import java.util.List;

/** A function or method of the {@code .graph} language: a name and its overloads, tried in order. */
final class Builtin {
    /** What an overload does with its (already checked) arguments. */
    @FunctionalInterface
    interface Impl {
        Object call(Args a);
    }

    /** A parameter; {@code many} marks a varargs parameter (zero or more arguments of its kind). */
    record Param(String name, Kind kind, boolean many) {
        String usage() { return name + ": " + kind.shortName() + (many ? "..." : ""); }
    }

    static final class Overload {
        final List<Param> params;
        final Impl impl;
        private final int prefix;
        private final int suffix;
        private final Param many;

        Overload(Impl impl, Param... params) {
            this.impl = impl;
            this.params = List.of(params);
            int m = -1;
            for (int i = 0; i < params.length; i++) if (params[i].many()) {
                if (m >= 0) throw new IllegalArgumentException("two varargs parameters");
                m = i;
            }
            this.many = m < 0 ? null : params[m];
            this.prefix = m < 0 ? params.length : m;
            this.suffix = m < 0 ? 0 : params.length - m - 1;
        }

        boolean arityFits(int n) { return many == null ? n == params.size() : n >= prefix + suffix; }

        Param paramAt(int i, int n) {
            if (i < prefix) return params.get(i);
            if (many != null && i >= n - suffix) return params.get(params.size() - (n - i));
            return many;
        }

        /** The index of the first argument this overload refuses, or -1 when all fit (arity must fit). */
        int firstMismatch(List<Object> args) {
            for (int i = 0; i < args.size(); i++) if (!paramAt(i, args.size()).kind().accepts(args.get(i))) return i;
            return -1;
        }

        String usage(String name) {
            List<String> ps = new ArrayList<>();
            for (Param p : params) ps.add(p.usage());
            return name + "(" + String.join(", ", ps) + ")";
        }
    }

    final String name;
    final String doc;
    final List<Overload> overloads;

    Builtin(String name, String doc, List<Overload> overloads) {
        this.name = name;
        this.doc = doc;
        this.overloads = List.copyOf(overloads);
    }

    /** Whether {@code x.name(...)} may be written for {@code name(x, ...)}: every overload takes a tensor first. */
    boolean fluent() {
        for (Overload o : overloads) {
            if (o.params.isEmpty()) return false;
            Kind k = o.params.get(0).kind();
            if (o.params.get(0).many() || (k != Kind.TENSOR && k != Kind.OPERAND)) return false;
        }
        return true;
    }

    List<String> usages() {
        List<String> u = new ArrayList<>();
        for (Overload o : overloads) u.add(o.usage(name));
        return u;
    }

    static Param p(String name, Kind kind) { return new Param(name, kind, false); }

    static Param many(String name, Kind kind) { return new Param(name, kind, true); }

    static Overload sig(Impl impl, Param... params) { return new Overload(impl, params); }
}
