package dev.tcc.ir;

import dev.tcc.TccException;
import dev.tcc.Var;
import java.util.List;

/** A type or shape error found while building a graph. {@link #at} adds the site and operands. */
public final class TypeError extends TccException {
    private final String detail;

    public TypeError(String detail) {
        super(detail);
        this.detail = detail;
    }

    private TypeError(String message, String detail) {
        super(message);
        this.detail = detail;
    }

    public String detail() { return detail; }

    /** The same error, its message naming where the failing expression was written and its operands. */
    public TypeError at(Site site, List<Var> operands) {
        StringBuilder b = new StringBuilder();
        b.append(site).append(": ").append(detail);
        if (!operands.isEmpty()) {
            b.append("\n  operands:");
            for (Var v : operands) b.append("\n    ").append(v.describe());
        }
        TypeError e = new TypeError(b.toString(), detail);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
