package dev.tributary.console;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console is the SDK's first user: its sources reach the network only through {@code @tributary/sdk}, and keep
 * the credential in {@code sessionStorage} only. A hand-written call or a cookie would pass every other test.
 */
class ConsoleSourcesTest {

    private static final Path SOURCES = Path.of("src/main/ts");
    /** Every way a browser script can talk to a server, or keep something beyond the tab. */
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\bfetch\\s*\\(|XMLHttpRequest|EventSource|WebSocket|sendBeacon|document\\.cookie|localStorage|indexedDB");

    @Test
    void noSourceTalksToTheServiceOrKeepsTheCredentialButThroughTheSdkAndSessionStorage() {
        List<String> offending = sources().flatMap(file -> lines(file).stream()
                        .map(String::strip)
                        .filter(line -> !isComment(line) && FORBIDDEN.matcher(line).find())
                        .map(line -> SOURCES.relativize(file) + ": " + line))
                .toList();
        assertEquals(List.of(), offending);
    }

    @Test
    void theSdkIsWhereTheClientsComeFrom() {
        List<Path> importers = sources().filter(file -> lines(file).stream()
                .anyMatch(line -> line.contains("from '@tributary/sdk'"))).toList();
        assertTrue(importers.contains(SOURCES.resolve("api.ts")), importers.toString());
    }

    /** A line of a doc comment or a line comment, which may name what the code must not do. */
    private static boolean isComment(String line) {
        return line.startsWith("*") || line.startsWith("/*") || line.startsWith("//");
    }

    private static Stream<Path> sources() {
        try {
            return Files.walk(SOURCES).filter(f -> f.toString().endsWith(".ts") || f.toString().endsWith(".tsx"))
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
