package dev.tcc.lang;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.Rng;
import dev.tcc.SharedVar;
import dev.tcc.Var;
import dev.tcc.ir.Constant;
import java.util.List;

/** The kinds of values a {@code .graph} expression can have, and how messages describe them. */
final class Values {
    private Values() {}

    /** What an argument may be. */
    enum Kind {
        TENSOR("a tensor"),
        SHARED("a shared variable"),
        OPERAND("a tensor or a number"),
        NUMBER("a number"),
        INT("an int"),
        BOOL("a boolean (true or false)"),
        STRING("a string"),
        DTYPE("a dtype (float32, float64, int32, int64 or bool)"),
        ARRAY("an array or a number"),
        GIVEN("a tensor, an array or a number"),
        PATTERN("an axis number or \"x\""),
        ANY("a value");

        final String description;

        Kind(String description) { this.description = description; }

        boolean accepts(Object v) {
            return switch (this) {
                case TENSOR -> v instanceof Var;
                case SHARED -> v instanceof SharedVar;
                case OPERAND -> v instanceof Var || isNumber(v);
                case NUMBER -> isNumber(v);
                case INT -> isInt(v);
                case BOOL -> v instanceof Boolean;
                case STRING -> v instanceof String;
                case DTYPE -> v instanceof DType;
                case ARRAY -> v instanceof NDArray || isNumber(v);
                case GIVEN -> v instanceof Var || v instanceof NDArray || isNumber(v);
                case PATTERN -> isInt(v) || "x".equals(v);
                case ANY -> v != null;
            };
        }

        /** Short name for usage lines. */
        String shortName() {
            return switch (this) {
                case TENSOR -> "tensor";
                case SHARED -> "shared";
                case OPERAND -> "tensor|number";
                case NUMBER -> "number";
                case INT -> "int";
                case BOOL -> "boolean";
                case STRING -> "string";
                case DTYPE -> "dtype";
                case ARRAY -> "array|number";
                case GIVEN -> "tensor|array|number";
                case PATTERN -> "int|\"x\"";
                case ANY -> "value";
            };
        }
    }

    static boolean isNumber(Object v) {
        return v instanceof Integer || v instanceof Long || v instanceof Double;
    }

    static boolean isInt(Object v) {
        return v instanceof Integer || (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE);
    }

    static boolean isIntegral(Object v) { return v instanceof Integer || v instanceof Long; }

    /** For messages: {@code tensor 'x' float32(?, ?)}, {@code int 3}, {@code array float32(400, 784)}. */
    static String describe(Object v) {
        if (v == null) return "nothing";
        if (v instanceof SharedVar s) return "shared variable" + named(s) + " " + s.type();
        if (v instanceof Constant c) return "constant " + c + " " + c.type();
        if (v instanceof Var x) return "tensor" + named(x) + " " + x.type();
        if (v instanceof Integer || v instanceof Long) return "int " + v;
        if (v instanceof Double d) return "number " + d;
        if (v instanceof Boolean b) return "boolean " + b;
        if (v instanceof String s) return "string \"" + s + "\"";
        if (v instanceof DType d) return "dtype " + d;
        if (v instanceof NDArray a) return "array " + a.dtype() + NDArray.shapeString(a.shape());
        if (v instanceof Rng) return "random generator";
        if (v instanceof List<?> l) return "list of " + l.size() + " tensor" + (l.size() == 1 ? "" : "s");
        if (v instanceof FunctionDecl f) return "function '" + f.name + "'";
        return v.getClass().getSimpleName();
    }

    /** The kind of value in a word, for "has no method" messages. */
    static String kindName(Object v) {
        if (v instanceof SharedVar) return "a shared variable";
        if (v instanceof Var) return "a tensor";
        if (isNumber(v)) return "a number";
        if (v instanceof Boolean) return "a boolean";
        if (v instanceof String) return "a string";
        if (v instanceof DType) return "a dtype";
        if (v instanceof NDArray) return "an array";
        if (v instanceof Rng) return "a random generator";
        if (v instanceof List<?>) return "a list";
        if (v instanceof FunctionDecl) return "a function declaration";
        return "a value";
    }

    private static String named(Var v) { return v.name() == null ? "" : " '" + v.name() + "'"; }
}
