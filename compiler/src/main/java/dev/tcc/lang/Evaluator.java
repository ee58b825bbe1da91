package dev.tcc.lang;

import com.github.javaparser.JavaToken;
import com.github.javaparser.Range;
import com.github.javaparser.TokenRange;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.ArrayInitializerExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.CharLiteralExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.TextBlockLiteralExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.EmptyStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.Statement;
import dev.tcc.Config;
import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.T;
import dev.tcc.TccException;
import dev.tcc.Var;
import dev.tcc.ir.Constant;
import dev.tcc.ir.Site;
import dev.tcc.lang.SourceFile.Pos;
import dev.tcc.ops.ScalarOp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs the statements of a {@code .graph} file: declarations, assignments and calls, with operators
 * meaning the symbolic ops. Every variable it makes takes the {@code .graph} place of the expression
 * that made it, and every failure becomes a {@link GraphError} at that place.
 */
final class Evaluator {
    private record Binding(Object value, Pos declared) {}

    private final SourceFile src;
    /** javaparser lines minus this are file lines (a file is parsed inside a wrapping block). */
    private final int lineOffset;
    private final Map<String, Binding> locals = new LinkedHashMap<>();
    private final Map<String, FunctionDecl> functions = new LinkedHashMap<>();
    private final List<SharedVar> shared = new ArrayList<>();

    Evaluator(SourceFile src, int lineOffset) {
        this.src = src;
        this.lineOffset = lineOffset;
    }

    SourceFile source() { return src; }

    // ---- called by builtins -------------------------------------------------------------------------

    SharedVar addShared(SharedVar s) {
        shared.add(s);
        return s;
    }

    FunctionDecl declareFunction(String name, Pos place) {
        FunctionDecl old = functions.get(name);
        if (old != null) throw src.error(place, "function '" + name + "' is already declared at "
                + old.place.line() + ":" + old.place.column() + "; give this one another name");
        if (name.isBlank()) throw src.error(place, "a function needs a name: function(\"train\")");
        FunctionDecl f = new FunctionDecl(name, place, src);
        functions.put(name, f);
        return f;
    }

    Var index(List<Var> list, int i, Pos at) {
        if (i < 0 || i >= list.size()) throw src.error(at, "index " + i + " is out of range: the list has "
                + list.size() + " element" + (list.size() == 1 ? "" : "s") + " (0 to " + (list.size() - 1) + ")");
        return list.get(i);
    }

    // ---- statements ---------------------------------------------------------------------------------

    void run(BlockStmt block) {
        for (Statement s : block.getStatements()) statement(s);
    }

    GraphProgram finish(Path path) {
        Map<String, FunctionSpec> specs = new LinkedHashMap<>();
        for (FunctionDecl f : functions.values()) specs.put(f.name, f.finish());
        Map<String, Object> vars = new LinkedHashMap<>();
        for (Map.Entry<String, Binding> e : locals.entrySet()) vars.put(e.getKey(), e.getValue().value());
        return new GraphProgram(src, path, specs, vars, shared);
    }

    private void statement(Statement s) {
        if (s instanceof EmptyStmt) return;
        if (s instanceof ExpressionStmt es) {
            Expression e = es.getExpression();
            if (e instanceof VariableDeclarationExpr d) declare(d);
            else if (e instanceof AssignExpr a) assign(a);
            else eval(e);
            return;
        }
        throw src.error(pos(s), "a .graph file holds declarations (var x = ...;), assignments (x = ...;) and calls; "
                + statementKind(s) + " is not supported");
    }

    private static String statementKind(Statement s) {
        String n = s.getClass().getSimpleName();
        return switch (n) {
            case "IfStmt" -> "an if statement";
            case "ForStmt", "ForEachStmt" -> "a for loop";
            case "WhileStmt", "DoStmt" -> "a loop";
            case "ReturnStmt" -> "return";
            case "BlockStmt" -> "a block { ... }";
            case "LocalClassDeclarationStmt", "LocalRecordDeclarationStmt" -> "a class declaration";
            default -> "a " + n.replace("Stmt", "").toLowerCase() + " statement";
        };
    }

    private void declare(VariableDeclarationExpr d) {
        for (VariableDeclarator v : d.getVariables()) {
            String name = v.getNameAsString();
            Pos at = pos(v.getName());
            Binding old = locals.get(name);
            if (old != null) throw src.error(at, "'" + name + "' is already declared at " + old.declared().line() + ":"
                    + old.declared().column() + "; to give it a new value, assign it without a type: " + name + " = ...;");
            if (v.getInitializer().isEmpty()) throw src.error(at, "'" + name + "' needs a value: var " + name + " = ...;");
            Object value = eval(v.getInitializer().get());
            nameIt(value, name);
            locals.put(name, new Binding(value, at));
        }
    }

    private void assign(AssignExpr a) {
        if (!(a.getTarget() instanceof NameExpr target)) throw src.error(pos(a.getTarget()), "only a plain name can be assigned to");
        String name = target.getNameAsString();
        Binding old = locals.get(name);
        Pos at = pos(target);
        if (old == null) throw src.error(at, "'" + name + "' is not declared" + Names.didYouMean(name, locals.keySet())
                + "; declare it with var " + name + " = ...;");
        Object value;
        if (a.getOperator() == AssignExpr.Operator.ASSIGN) {
            value = eval(a.getValue());
        } else {
            BinaryExpr.Operator op = a.getOperator().toBinaryOperator().orElseThrow();
            Object right = eval(a.getValue());
            value = binary(op, a.getOperator().asString(), old.value(), right, operatorPos(a, a.getTarget(), a.getOperator().asString()),
                    at, pos(a.getValue()));
        }
        nameIt(value, name);
        locals.put(name, new Binding(value, old.declared()));
    }

    /** A declaration or assignment names an unnamed tensor after its variable. */
    private static void nameIt(Object value, String name) {
        if (value instanceof Var v && v.name() == null && !(v instanceof Constant)) v.named(name);
    }

    // ---- expressions --------------------------------------------------------------------------------

    Object eval(Expression e) {
        if (e instanceof NameExpr n) return lookup(n);
        if (e instanceof IntegerLiteralExpr i) return literal(i, () -> i.asNumber());
        if (e instanceof LongLiteralExpr l) return literal(l, () -> l.asNumber());
        if (e instanceof DoubleLiteralExpr d) return literal(d, d::asDouble);
        if (e instanceof BooleanLiteralExpr b) return b.getValue();
        if (e instanceof StringLiteralExpr s) return s.asString();
        if (e instanceof TextBlockLiteralExpr t) return t.asString();
        if (e instanceof EnclosedExpr p) return eval(p.getInner());
        if (e instanceof UnaryExpr u) return unary(u);
        if (e instanceof BinaryExpr b) {
            Object l = eval(b.getLeft());
            Object r = eval(b.getRight());
            String sym = b.getOperator().asString();
            return binary(b.getOperator(), sym, l, r, operatorPos(b, b.getLeft(), sym), pos(b.getLeft()), pos(b.getRight()));
        }
        if (e instanceof ConditionalExpr c) return conditional(c);
        if (e instanceof MethodCallExpr m) return call(m);
        if (e instanceof FieldAccessExpr f) return field(f);
        if (e instanceof ArrayAccessExpr a) return arrayAccess(a);
        if (e instanceof CastExpr c) throw src.error(pos(c), "Java casts are not supported; write cast(x, " + dtypeFor(c.getType().asString())
                + ") for a tensor");
        if (e instanceof ArrayCreationExpr || e instanceof ArrayInitializerExpr)
            throw src.error(pos(e), "Java arrays are not supported; write array(1, 2, 3) for a 1-d array, and .reshape(...) for more axes");
        if (e instanceof ObjectCreationExpr o) throw src.error(pos(o), "'new' is not supported; write random(seed), zeros(...), "
                + "ones(...), array(...) or load(\"file.npy\") for arrays");
        if (e instanceof NullLiteralExpr) throw src.error(pos(e), "null is not a value in a .graph file");
        if (e instanceof CharLiteralExpr) throw src.error(pos(e), "character literals are not supported; use a string in double quotes");
        if (e instanceof LambdaExpr) throw src.error(pos(e), "lambdas are not supported in a .graph file");
        if (e instanceof AssignExpr) throw src.error(pos(e), "an assignment inside an expression is not supported; write it as its own statement");
        if (e instanceof VariableDeclarationExpr) throw src.error(pos(e), "a declaration is not an expression");
        throw src.error(pos(e), "this kind of expression (" + e.getClass().getSimpleName().replace("Expr", "")
                + ") is not supported in a .graph file");
    }

    private static String dtypeFor(String javaType) {
        return switch (javaType) {
            case "double", "Double" -> "float64";
            case "int", "Integer" -> "int32";
            case "long", "Long" -> "int64";
            case "boolean", "Boolean" -> "bool";
            default -> "float32";
        };
    }

    private Object literal(Expression e, Supplier<Object> value) {
        try {
            return value.get();
        } catch (RuntimeException ex) {
            throw src.error(pos(e), "bad number " + e + ": " + ex.getMessage(), ex);
        }
    }

    private Object lookup(NameExpr n) {
        String name = n.getNameAsString();
        Binding b = locals.get(name);
        if (b != null) return b.value();
        DType d = Builtins.DTYPES.get(name);
        if (d != null) return d;
        if (name.equals("floatX")) return Config.get().floatX();
        Pos at = pos(n);
        if (Builtins.FUNCTIONS.containsKey(name)) throw src.error(at, "'" + name + "' is a function; call it: " + name + "(...)");
        Set<String> candidates = new LinkedHashSet<>(locals.keySet());
        candidates.addAll(Builtins.DTYPES.keySet());
        throw src.error(at, "unknown name '" + name + "'" + Names.didYouMean(name, candidates));
    }

    private Object unary(UnaryExpr u) {
        Pos at = pos(u);
        String sym = u.getOperator().asString();
        switch (u.getOperator()) {
            case MINUS: case PLUS: case LOGICAL_COMPLEMENT: break;
            case PREFIX_INCREMENT: case PREFIX_DECREMENT: case POSTFIX_INCREMENT: case POSTFIX_DECREMENT:
                throw src.error(at, "'" + sym + "' is not supported: a .graph file describes a graph; write x = x " + sym.charAt(0) + " 1;");
            default:
                throw src.error(at, "operator '" + sym + "' is not supported; for logical not write !x");
        }
        Object v = eval(u.getExpression());
        Pos operand = pos(u.getExpression());
        return at(at, () -> switch (u.getOperator()) {
            case MINUS -> {
                if (v instanceof Number n) yield HostMath.negate(n);
                if (v instanceof Var x) yield T.neg(x);
                throw src.error(operand, "unary '-' takes a tensor or a number, got " + Values.describe(v));
            }
            case PLUS -> {
                if (v instanceof Number || v instanceof Var) yield v;
                throw src.error(operand, "unary '+' takes a tensor or a number, got " + Values.describe(v));
            }
            default -> {
                if (v instanceof Boolean b) yield !b;
                if (v instanceof Var x) yield T.not(x);
                throw src.error(operand, "'!' takes a tensor or a boolean, got " + Values.describe(v));
            }
        });
    }

    private Object binary(BinaryExpr.Operator op, String sym, Object l, Object r, Pos at, Pos left, Pos right) {
        ScalarOp s = switch (op) {
            case PLUS -> ScalarOp.ADD;
            case MINUS -> ScalarOp.SUB;
            case MULTIPLY -> ScalarOp.MUL;
            case DIVIDE -> ScalarOp.DIV;
            case REMAINDER -> ScalarOp.MOD;
            case GREATER -> ScalarOp.GT;
            case GREATER_EQUALS -> ScalarOp.GE;
            case LESS -> ScalarOp.LT;
            case LESS_EQUALS -> ScalarOp.LE;
            case EQUALS -> ScalarOp.EQ;
            case NOT_EQUALS -> ScalarOp.NEQ;
            case AND, BINARY_AND -> ScalarOp.AND;
            case OR, BINARY_OR -> ScalarOp.OR;
            case XOR -> throw src.error(at, "'^' is not supported (and is not a power); write pow(a, b) for a to the power b");
            default -> throw src.error(at, "operator '" + sym + "' is not supported in a .graph file");
        };
        boolean logic = s == ScalarOp.AND || s == ScalarOp.OR;
        if (logic && l instanceof Boolean a && r instanceof Boolean b) return s == ScalarOp.AND ? a && b : a || b;
        if (!(l instanceof Var || l instanceof Number))
            throw src.error(left, "operator '" + sym + "' takes tensors and numbers; its left operand is " + Values.describe(l));
        if (!(r instanceof Var || r instanceof Number))
            throw src.error(right, "operator '" + sym + "' takes tensors and numbers; its right operand is " + Values.describe(r));
        return at(at, () -> Builtins.binary(s, l, r));
    }

    private Object conditional(ConditionalExpr c) {
        Object cond = eval(c.getCondition());
        Pos at = tokenAfter(c.getCondition(), "?");
        if (cond instanceof Boolean b) return eval(b ? c.getThenExpr() : c.getElseExpr());
        if (!(cond instanceof Var cv)) throw src.error(pos(c.getCondition()), "the condition of '?:' must be a tensor or a boolean, got "
                + Values.describe(cond));
        Object a = eval(c.getThenExpr());
        Object b = eval(c.getElseExpr());
        if (!(a instanceof Var || a instanceof Number))
            throw src.error(pos(c.getThenExpr()), "'?:' chooses between tensors and numbers; this is " + Values.describe(a));
        if (!(b instanceof Var || b instanceof Number))
            throw src.error(pos(c.getElseExpr()), "'?:' chooses between tensors and numbers; this is " + Values.describe(b));
        return at(at, () -> {
            if (a instanceof Number na && b instanceof Number nb) {
                // two plain numbers: floatX if either has a fraction, else int64 (numpy's default int)
                DType d = Values.isIntegral(na) && Values.isIntegral(nb) ? DType.INT64 : Config.get().floatX();
                return T.where(cv, T.constant(na.doubleValue(), d), T.constant(nb.doubleValue(), d));
            }
            return T.where(cv, a, b);
        });
    }

    private Object field(FieldAccessExpr f) {
        String name = f.getNameAsString();
        Pos at = pos(f.getName());
        if (f.getScope() instanceof NameExpr n && n.getNameAsString().equals("DType") && !locals.containsKey("DType")) {
            for (DType d : DType.values()) if (d.name().equals(name)) return d;
            throw src.error(at, "unknown dtype DType." + name + "; use float32, float64, int32, int64 or bool");
        }
        Object receiver = eval(f.getScope());
        if (receiver instanceof Var x && name.equals("T")) return at(at, () -> T.transpose(x));
        Map<String, Builtin> methods = Builtins.methodsOf(receiver);
        if (methods.containsKey(name)) throw src.error(at, "'" + name + "' is a method; call it: ." + name + "(...)");
        throw src.error(at, Values.kindName(receiver) + " has no field '" + name + "'"
                + (receiver instanceof Var ? " (x.T is the only field of a tensor)" : "") + Names.didYouMean(name, methods.keySet()));
    }

    private Object arrayAccess(ArrayAccessExpr a) {
        Object list = eval(a.getName());
        Object index = eval(a.getIndex());
        if (!(list instanceof List<?> l)) throw src.error(pos(a.getName()), "only a list (what grad(cost, a, b, ...) returns) can be indexed with [...]; this is "
                + Values.describe(list));
        if (!Values.isInt(index)) throw src.error(pos(a.getIndex()), "an index must be an int, got " + Values.describe(index));
        @SuppressWarnings("unchecked") List<Var> vars = (List<Var>) l;
        return index(vars, ((Number) index).intValue(), pos(a.getIndex()));
    }

    // ---- calls --------------------------------------------------------------------------------------

    private Object call(MethodCallExpr m) {
        String name = m.getNameAsString();
        Pos at = pos(m.getName());
        Builtin b;
        List<Object> args = new ArrayList<>();
        List<Pos> places = new ArrayList<>();
        boolean method = false;
        Expression scope = m.getScope().orElse(null);
        if (scope instanceof NameExpr n && (n.getNameAsString().equals("T") || n.getNameAsString().equals("Tcc"))
                && !locals.containsKey(n.getNameAsString())) {
            scope = null;            // T.sigmoid(x), Tcc.shared(...): the Java API's spelling of the same functions
        }
        if (scope == null) {
            b = Builtins.FUNCTIONS.get(name);
            if (b == null) {
                Binding local = locals.get(name);
                if (local != null) throw src.error(at, "'" + name + "' is " + Values.describe(local.value()) + ", not a function");
                throw src.error(at, "unknown function '" + name + "'" + Names.didYouMean(name, Builtins.FUNCTIONS.keySet()));
            }
        } else {
            Object receiver = eval(scope);
            Map<String, Builtin> methods = Builtins.methodsOf(receiver);
            b = methods.get(name);
            if (b == null) {
                String msg = Values.kindName(receiver) + " has no method '" + name + "'";
                if (methods.isEmpty()) msg = Values.kindName(receiver) + " (" + Values.describe(receiver) + ") has no methods";
                else msg += Names.didYouMean(name, methods.keySet());
                throw src.error(at, msg);
            }
            args.add(receiver);
            places.add(pos(scope));
            method = true;
        }
        for (Expression arg : m.getArguments()) {
            args.add(eval(arg));
            places.add(pos(arg));
        }
        return invoke(b, args, places, at, method);
    }

    private Object invoke(Builtin b, List<Object> args, List<Pos> places, Pos at, boolean method) {
        int shift = method ? 1 : 0;
        Builtin.Overload chosen = null;
        Builtin.Overload best = null;
        int bestMismatch = -1;
        for (Builtin.Overload o : b.overloads) {
            if (!o.arityFits(args.size())) continue;
            int mm = o.firstMismatch(args);
            if (mm < 0) { chosen = o; break; }
            boolean better = best == null || mm > bestMismatch
                    || (mm == bestMismatch && related(o.paramAt(mm, args.size()).kind(), args.get(mm))
                        && !related(best.paramAt(mm, args.size()).kind(), args.get(mm)));
            if (better) { best = o; bestMismatch = mm; }
        }
        if (chosen == null) {
            String label = method ? "." + b.name : b.name;
            if (best == null) {
                throw src.error(at, label + " does not take " + (args.size() - shift) + " argument" + (args.size() - shift == 1 ? "" : "s")
                        + usageLines(b, method));
            }
            Builtin.Param p = best.paramAt(bestMismatch, args.size());
            throw src.error(places.get(bestMismatch), "argument " + (bestMismatch + 1 - shift) + " of " + label + " (" + p.name() + ") must be "
                    + p.kind().description + ", got " + Values.describe(args.get(bestMismatch)) + usageLines(b, method));
        }
        Builtin.Overload o = chosen;
        Args a = new Args(args, places, this, at);
        Object result = at(at, () -> o.impl.call(a));
        if (result == null) throw src.error(at, b.name + " gave no value");
        return result;
    }

    /** Whether a value is of the family a kind expects (a fractional number for an int), to pick the overload an error names. */
    private static boolean related(Values.Kind k, Object v) {
        return switch (k) {
            case INT, NUMBER, ARRAY -> v instanceof Number;
            case TENSOR, SHARED, OPERAND, GIVEN -> v instanceof Var;
            case STRING, PATTERN -> v instanceof String;
            default -> false;
        };
    }

    private static String usageLines(Builtin b, boolean method) {
        StringBuilder s = new StringBuilder("\n  usage:");
        for (Builtin.Overload o : b.overloads) {
            s.append("\n    ");
            if (method) {
                List<String> ps = new ArrayList<>();
                for (int i = 1; i < o.params.size(); i++) ps.add(o.params.get(i).usage());
                s.append(o.params.get(0).name()).append('.').append(b.name).append('(').append(String.join(", ", ps)).append(')');
            } else {
                s.append(o.usage(b.name));
            }
        }
        return s.toString();
    }

    /**
     * Runs {@code body} with every variable it makes attributed to {@code p}; a builder error becomes
     * a GraphError at {@code p} (unless it already is one, at a more precise place).
     */
    private <R> R at(Pos p, Supplier<R> body) {
        Site site = src.site(p);
        try {
            return Site.with(site, body);
        } catch (GraphError e) {
            throw e;
        } catch (TccException e) {
            throw src.error(p, strip(e.getMessage(), site), e);
        } catch (IllegalArgumentException | ArithmeticException | IllegalStateException | IndexOutOfBoundsException e) {
            throw src.error(p, e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } catch (RuntimeException e) {
            throw src.error(p, "internal error: " + e, e);
        }
    }

    private static String strip(String message, Site site) {
        if (message == null) return "error";
        String prefix = site + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    // ---- places -------------------------------------------------------------------------------------

    Pos pos(Node n) {
        Range r = n.getRange().orElse(null);
        if (r == null) return new Pos(1, 1, 1);
        int len = r.begin.line == r.end.line ? r.end.column - r.begin.column + 1 : 1;
        return new Pos(r.begin.line - lineOffset, r.begin.column, len);
    }

    private Pos pos(JavaToken t) {
        Range r = t.getRange().orElse(null);
        if (r == null) return new Pos(1, 1, 1);
        return new Pos(r.begin.line - lineOffset, r.begin.column, Math.max(1, t.getText().length()));
    }

    /** The place of a binary operator: the first token after the left operand. */
    private Pos operatorPos(Node whole, Node left, String sym) {
        Pos p = tokenAfter(left, sym);
        return p != null ? p : pos(whole);
    }

    private Pos tokenAfter(Node n, String text) {
        TokenRange tr = n.getTokenRange().orElse(null);
        if (tr == null) return pos(n);
        JavaToken t = tr.getEnd().getNextToken().orElse(null);
        while (t != null && t.getCategory().isWhitespaceOrComment()) t = t.getNextToken().orElse(null);
        if (t == null) return pos(n);
        return pos(t);
    }
}
