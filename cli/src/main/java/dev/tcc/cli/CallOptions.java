package dev.tcc.cli;

import dev.tcc.Backend;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the commands that call a function: which one, its arguments, the backend. */
final class CallOptions {
    @Option(names = "--fn", paramLabel = "NAME", description = "The function to call (needed when the file declares several).")
    String fn;

    @Option(names = "--arg", paramLabel = "NAME=VALUE",
            description = "A value for input NAME: a number, @file.npy, or a .graph expression such as "
                    + "random(0).randn(400,784) or 'array(1, 2, 3)'. Repeat for each input.")
    List<String> args = new ArrayList<>();

    @Option(names = "--backend", paramLabel = "B", defaultValue = "auto",
            description = "auto (default), cuda, cpu or interp.")
    Backend backend;
}
