package dev.tcc.cli;

import dev.tcc.TccException;
import dev.tcc.lang.GraphError;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Properties;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code tcc} command. Exit codes: 0 success, 1 a compile or run-time failure, 2 a usage error
 * or a bad {@code .graph} file. Messages go to stderr, never as a bare stack trace ({@code --debug} adds one).
 */
@Command(name = "tcc", mixinStandardHelpOptions = true, versionProvider = TccCli.Version.class, sortOptions = false,
        description = {"tcc: a symbolic tensor compiler. Describe a computation in a .graph file; compile it, inspect it, run it, time it."},
        subcommands = {CompileCommand.class, InspectCommand.class, RunCommand.class, BenchCommand.class,
                AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes:", "  0  success", "  1  compile or run-time failure", "  2  usage error or bad .graph file",
                "", "Shell completion: source <(tcc generate-completion)"})
public final class TccCli implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @Spec CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: give one of compile, inspect, run, bench (tcc --help lists them)");
    }

    /** Reads the version Maven wrote into tcc-version.properties. */
    static final class Version implements IVersionProvider {
        @Override public String[] getVersion() throws Exception {
            Properties p = new Properties();
            try (InputStream in = TccCli.class.getResourceAsStream("/tcc-version.properties")) {
                if (in != null) p.load(in);
            }
            return new String[] {"tcc " + p.getProperty("version", "(unknown version)"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }

    /** A configured command line; tests call {@code commandLine().setOut(...).setErr(...).execute(args)}. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new TccCli());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setExecutionExceptionHandler(TccCli::handle);
        CommandLine gen = cmd.getSubcommands().get("generate-completion");
        if (gen != null) gen.getCommandSpec().usageMessage().hidden(false);
        return cmd;
    }

    /** Runs the command with these streams; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = commandLine();
        cmd.setOut(out);
        cmd.setErr(err);
        try {
            return cmd.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("error: out of memory (" + e.getMessage() + "); give Java more with TCC_JAVA_OPTS=-Xmx16g (or java -Xmx16g)");
            return EXIT_FAILURE;
        } catch (StackOverflowError e) {
            err.println("error: the graph is too deep for Java's stack; give Java a larger one with TCC_JAVA_OPTS=-Xss64m (or java -Xss64m)");
            return EXIT_FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.Charset.defaultCharset()), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, java.nio.charset.Charset.defaultCharset()), true);
        System.exit(execute(out, err, args));
    }

    private static int handle(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean debug = false;
        for (ParseResult p = parsed; p != null; p = p.subcommand()) debug |= p.hasMatchedOption("--debug");
        int code;
        if (ex instanceof GraphError g) {
            err.println(g.getMessage());
            code = EXIT_USAGE;
        } else if (ex instanceof CliException c) {
            err.println(c.placed ? c.getMessage() : "error: " + c.getMessage());
            code = c.exitCode;
        } else if (ex instanceof TccException t) {
            err.println("error: " + t.getMessage());
            code = EXIT_FAILURE;
        } else if (ex instanceof java.io.IOException io) {
            err.println("error: " + io);
            code = EXIT_FAILURE;
        } else {
            err.println("internal error: " + ex + (debug ? "" : " (run with --debug for the stack trace)"));
            code = EXIT_FAILURE;
        }
        if (debug) {
            StringWriter sw = new StringWriter();
            ex.printStackTrace(new PrintWriter(sw));
            err.print(sw);
        }
        err.flush();
        return code;
    }
}
