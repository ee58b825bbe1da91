package dev.tcc.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel's name and parameter list, read from its CUDA C source, so that arguments are packed in
 * the order and at the widths the kernel wants (a 32-bit {@code int} packed as 64 bits would
 * shift every later parameter and corrupt the launch silently).
 */
public record KernelSignature(String name, List<Param> params) {
    public record Param(String name, ParamType type, String cType) {}

    public KernelSignature {
        params = List.copyOf(params);
    }

    public List<ParamType> types() {
        List<ParamType> t = new ArrayList<>(params.size());
        for (Param p : params) t.add(p.type());
        return t;
    }

    private static final Pattern GLOBAL = Pattern.compile(
            "__global__\\s+(?:__launch_bounds__\\s*\\([^)]*\\)\\s*)?void\\s+(?:__launch_bounds__\\s*\\([^)]*\\)\\s*)?(\\w+)\\s*\\(");
    private static final Pattern QUALIFIERS = Pattern.compile(
            "\\b(const|volatile|__restrict__|__restrict|restrict|__grid_constant__|signed)\\b");

    /** Every {@code __global__} kernel in {@code source}, in order of appearance. */
    public static List<KernelSignature> parseAll(String source) {
        String text = stripComments(source);
        List<KernelSignature> out = new ArrayList<>();
        Matcher m = GLOBAL.matcher(text);
        while (m.find()) {
            int open = m.end() - 1;
            int close = matchingParen(text, open);
            if (close < 0) throw new IllegalArgumentException("kernel " + m.group(1) + ": unbalanced parentheses in its parameter list");
            out.add(new KernelSignature(m.group(1), parseParams(m.group(1), text.substring(open + 1, close))));
        }
        return out;
    }

    /** The kernel called {@code name} in {@code source}. */
    public static KernelSignature parse(String source, String name) {
        for (KernelSignature s : parseAll(source)) if (s.name().equals(name)) return s;
        List<String> names = new ArrayList<>();
        for (KernelSignature s : parseAll(source)) names.add(s.name());
        throw new IllegalArgumentException("no __global__ kernel named " + name + " in the source; it has " + names);
    }

    private static List<Param> parseParams(String kernel, String list) {
        List<Param> params = new ArrayList<>();
        String trimmed = list.strip();
        if (trimmed.isEmpty() || trimmed.equals("void")) return params;
        for (String raw : splitTopLevel(trimmed)) {
            String decl = raw.strip().replaceAll("\\s+", " ");
            Matcher nm = Pattern.compile("(\\w+)\\s*$").matcher(decl);
            if (!nm.find()) throw new IllegalArgumentException("kernel " + kernel + ": cannot read parameter '" + decl + "'");
            String pname = nm.group(1);
            String typePart = decl.substring(0, nm.start()).strip();
            if (typePart.isEmpty()) throw new IllegalArgumentException("kernel " + kernel + ": parameter '" + decl + "' has no type");
            params.add(new Param(pname, typeOf(kernel, decl, typePart), typePart));
        }
        return params;
    }

    static ParamType typeOf(String kernel, String decl, String typePart) {
        if (typePart.contains("*")) return ParamType.PTR;
        String base = QUALIFIERS.matcher(typePart).replaceAll(" ").replaceAll("\\s+", " ").strip();
        switch (base) {
            case "int": case "int32_t": case "unsigned": case "unsigned int": case "uint32_t":
                return ParamType.I32;
            case "long long": case "long long int": case "unsigned long long": case "int64_t": case "uint64_t":
            case "size_t": case "ptrdiff_t": case "long": case "unsigned long":
                return ParamType.I64;
            case "float":
                return ParamType.F32;
            case "double":
                return ParamType.F64;
            default:
                throw new IllegalArgumentException("kernel " + kernel + ": parameter '" + decl + "' has type '" + base
                        + "', which tcc cannot pass (pointers, int, long long, float and double only)");
        }
    }

    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '<' || c == '[') depth++;
            else if (c == ')' || c == '>' || c == ']') depth--;
            else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static int matchingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            if (s.charAt(i) == '(') depth++;
            else if (s.charAt(i) == ')' && --depth == 0) return i;
        }
        return -1;
    }

    /** Replaces comments by spaces (string literals do not occur in kernel signatures). */
    static String stripComments(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("//", i)) {
                int end = s.indexOf('\n', i);
                i = end < 0 ? s.length() : end;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
                b.append(' ');
            } else {
                b.append(s.charAt(i++));
            }
        }
        return b.toString();
    }
}
