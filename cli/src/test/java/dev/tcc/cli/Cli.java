package dev.tcc.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the tcc command in-process with captured output. */
final class Cli {
    record Result(int code, String out, String err) {
        @Override public String toString() { return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err; }
    }

    private Cli() {}

    static Result tcc(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = TccCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }
}
