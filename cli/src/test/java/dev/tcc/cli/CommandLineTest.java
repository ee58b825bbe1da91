package dev.tcc.cli;

import static dev.tcc.cli.Cli.tcc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Help, version, completion, usage errors and exit codes. */
class CommandLineTest {
    @ParameterizedTest
    @ValueSource(strings = {"run", "bench", "inspect", "generate-completion"})
    void everyCommandHasHelp(String command) {
        Cli.Result r = tcc(command, "--help");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("Usage: tcc " + command), r::toString);
    }

    @Test
    void topLevelHelpListsCommandsAndExitCodes() {
        Cli.Result r = tcc("--help");
        assertEquals(0, r.code());
        for (String c : new String[] {"inspect", "run", "bench", "generate-completion", "Exit codes:"})
            assertTrue(r.out().contains(c), () -> c + "\n" + r);
    }

    @Test
    void version() {
        Cli.Result r = tcc("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("tcc 0."), r::toString);
    }

    @Test
    void completionScript() {
        Cli.Result r = tcc("generate-completion");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("complete -F"), "a bash completion script");
        assertTrue(r.out().contains("inspect") && r.out().contains("--steps"), "knows the commands and options");
    }

    @Test
    void usageErrorsExitWith2() {
        assertEquals(2, tcc().code(), "no command");
        assertEquals(2, tcc("frobnicate").code());
        assertEquals(2, tcc("run").code(), "no file");
        assertEquals(2, tcc("run", "../samples/function/function.graph", "--steps", "many").code());
        assertEquals(2, tcc("run", "../samples/function/function.graph", "--backend", "tpu").code());
        Cli.Result r = tcc("run", "no/such/file.graph");
        assertEquals(2, r.code());
        assertEquals("error: cannot read no/such/file.graph: no such file\n", r.err());
    }

    @Test
    void debugAddsAStackTrace() {
        Cli.Result plain = tcc("inspect", "src/test/resources/bad/unknown_function.graph");
        Cli.Result debug = tcc("inspect", "--debug", "src/test/resources/bad/unknown_function.graph");
        assertEquals(2, debug.code());
        assertTrue(!plain.err().contains("\tat ") && debug.err().contains("\tat dev.tcc."), debug::toString);
    }

    @Test
    void messagesShowTheSourceLineAndACaret() {
        Cli.Result r = tcc("inspect", "src/test/resources/bad/unknown_function.graph");
        assertEquals("src/test/resources/bad/unknown_function.graph:3:9: unknown function 'sigmod'; did you mean 'sigmoid'?\n"
                + "var y = sigmod(x);\n"
                + "        ^~~~~~\n", r.err());
        assertEquals("", r.out());
    }
}
