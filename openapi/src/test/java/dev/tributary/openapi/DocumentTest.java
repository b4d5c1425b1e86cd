package dev.tributary.openapi;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The committed contract is the document the service serves: every API change shows in review as a change of
 * {@code openapi/tributary.yml}, and the SDKs (generated from the committed file) are the served API's.
 */
class DocumentTest {

    static final String SERVED_ENTRY = "META-INF/swagger/tributary.yml";

    @Test
    void theCommittedDocumentIsTheOneTheServiceServes() throws IOException {
        Path committed = PackagedService.committedDocument();
        String served = servedDocument();
        List<String> committedLines = Files.readAllLines(committed, StandardCharsets.UTF_8);
        List<String> servedLines = served.lines().toList();
        int line = firstDifference(committedLines, servedLines);
        if (line >= 0) {
            fail("""
                    openapi/tributary.yml is not the document the service serves (%s in api/target/tributary.jar, \
                    generated from the controllers); first difference at line %d:
                      committed: %s
                      served:    %s
                    If the API change is meant, refresh the committed document and commit it with the change:
                      ./mvnw -B -q -pl api -am compile && cp api/target/classes/%s openapi/tributary.yml"""
                    .formatted(SERVED_ENTRY, line + 1, lineOrEnd(committedLines, line), lineOrEnd(servedLines, line),
                            SERVED_ENTRY));
        }
    }

    static String servedDocument() throws IOException {
        try (var jar = new JarFile(PackagedService.jar().toFile())) {
            var entry = jar.getJarEntry(SERVED_ENTRY);
            assertNotNull(entry, "api/target/tributary.jar has no " + SERVED_ENTRY);
            try (var in = jar.getInputStream(entry)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static int firstDifference(List<String> a, List<String> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i >= a.size() || i >= b.size() || !a.get(i).equals(b.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String lineOrEnd(List<String> lines, int index) {
        return index < lines.size() ? lines.get(index) : "(end of file)";
    }
}
