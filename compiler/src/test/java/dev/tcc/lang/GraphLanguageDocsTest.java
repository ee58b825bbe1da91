package dev.tcc.lang;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/graph-language.md documents every function and method the builtin tables define. */
class GraphLanguageDocsTest {
    @Test
    void everyBuiltinIsDocumented() throws IOException {
        String doc = Files.readString(Path.of("../docs/graph-language.md"));
        List<String> missing = new ArrayList<>();
        for (Map<String, Builtin> table : List.of(Builtins.FUNCTIONS, Builtins.TENSOR_METHODS, Builtins.RNG_METHODS,
                Builtins.ARRAY_METHODS, Builtins.LIST_METHODS, Builtins.FUNCTION_METHODS)) {
            for (String name : table.keySet()) {
                if (!Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(name) + "(?![A-Za-z0-9_])").matcher(doc).find()) missing.add(name);
            }
        }
        assertTrue(missing.isEmpty(), "not in docs/graph-language.md: " + missing);
    }
}
