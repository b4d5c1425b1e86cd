package dev.tributary.connector.jsonfeed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A 220 MB feed of 237,000 permit-like records syncs in a JVM limited to 256 MB of heap. */
class JsonFeedMemoryTest {

    static final int RECORDS = 237_000;

    @Test
    void aFeedNearlyAsLargeAsTheHeapStreamsThrough(@TempDir Path directory) throws Exception {
        Path feed = directory.resolve("permits.json");
        writeFeed(feed, RECORDS);
        assertTrue(Files.size(feed) > 210L * 1024 * 1024, "feed is " + Files.size(feed) + " bytes");

        Path out = directory.resolve("probe.out");
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), JsonFeedMemoryProbe.class.getName(),
                feed.toString()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(probe.waitFor(5, TimeUnit.MINUTES), "probe did not finish");
        String output = Files.readString(out);
        assertEquals(0, probe.exitValue(), output);
        assertTrue(output.contains("records=" + RECORDS + " pages=237 "), output);
    }

    /** About 930 bytes a record, like a city's building-permit feed. */
    static void writeFeed(Path file, int count) throws Exception {
        String description = "Interior alteration of an existing commercial unit, including new partitions, lighting,"
                + " plumbing fixtures and mechanical ventilation; no change of use or occupancy. ".repeat(8);
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write("[");
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    writer.write(",\n");
                }
                writer.write("{\"permit_number\":\"BP-" + (1_000_000 + i) + "\",\"permit_type\":\"Alteration\","
                        + "\"status\":\"" + (i % 17 == 0 ? "Cancelled" : "Issued") + "\",\"issued_date\":\"2026-"
                        + String.format("%02d-%02dT10:00:00Z", 1 + i % 12, 1 + i % 28) + "\",\"address\":\""
                        + (i % 9000) + " Main Street\",\"ward\":" + (i % 25) + ",\"estimated_cost\":" + (i * 37 % 900000)
                        + ",\"contractor\":\"Contractor " + (i % 500) + "\",\"description\":\"" + description + "\"}");
            }
            writer.write("]");
        }
    }
}
