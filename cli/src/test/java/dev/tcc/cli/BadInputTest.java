package dev.tcc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus: each file under src/test/resources/bad/ starts with
 * {@code // expect: CODE PLACE MESSAGE} (the exit code, the exact file:line:col, a part of the
 * message) and optionally {@code // run: COMMAND ARGS...} (default: inspect). The command must exit
 * with that code and print the place and the message to stderr, without a stack trace.
 */
class BadInputTest {
    static final Path BAD = Path.of("src/test/resources/bad");

    static Stream<Path> corpus() throws IOException {
        try (Stream<Path> s = Files.list(BAD)) {
            return s.filter(p -> p.toString().endsWith(".graph")).sorted().toList().stream();
        }
    }

    @Test
    void theCorpusIsLargeEnough() throws IOException {
        assertTrue(corpus().count() >= 25, "at least 25 bad .graph files");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void failsWithPlaceAndMessage(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String expect = lines.get(0);
        assertTrue(expect.startsWith("// expect: "), file + " must start with // expect: CODE PLACE MESSAGE");
        String[] parts = expect.substring("// expect: ".length()).split(" ", 3);
        int code = Integer.parseInt(parts[0]);
        boolean inArg = parts[1].equals("--arg");    // "--arg x:1:21": the place inside an --arg value
        String[] more = parts[2].split(" ", 2);
        String place = inArg ? "--arg " + more[0] : parts[1];
        String message = inArg ? more[1] : parts[2];
        List<String> args = new ArrayList<>(List.of("inspect"));
        if (lines.size() > 1 && lines.get(1).startsWith("// run: ")) {
            args = new ArrayList<>(Arrays.asList(lines.get(1).substring("// run: ".length()).trim().split(" +")));
        }
        args.add(1, file.toString());
        Cli.Result r = Cli.tcc(args.toArray(new String[0]));
        assertEquals(code, r.code(), () -> "exit code of " + String.join(" ", List.of(parts)) + "\n" + r);
        String where = place.startsWith("--arg") ? place + ":" : "/" + place;
        assertTrue(r.err().contains(where), () -> "stderr lacks the place " + where + "\n" + r);
        assertTrue(r.err().contains(message), () -> "stderr lacks the message '" + message + "'\n" + r);
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), () -> "a stack trace or exception name\n" + r);
    }
}
