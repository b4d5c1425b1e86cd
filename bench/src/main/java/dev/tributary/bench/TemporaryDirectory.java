package dev.tributary.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory for one benchmark run, deleted with everything in it when the run ends: a run's
 * PostgreSQL data directory holds 1–2 GB, and benchmarks are run many times on shared machines.
 */
record TemporaryDirectory(Path path) implements AutoCloseable {

    static TemporaryDirectory create(String prefix) throws IOException {
        return new TemporaryDirectory(Files.createTempDirectory(prefix));
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> contents = Files.walk(path)) {
            for (Path entry : contents.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        }
    }
}
