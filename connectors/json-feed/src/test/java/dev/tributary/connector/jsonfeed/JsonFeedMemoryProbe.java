package dev.tributary.connector.jsonfeed;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.PageSource;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Run in its own small JVM by {@link JsonFeedMemoryTest}: reads a whole feed and prints records and peak heap. */
public final class JsonFeedMemoryProbe {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        var connector = new JsonFeedConnector(new JsonFeedConfiguration(List.of(file.getParent().toString()), false),
                Clock.systemUTC());
        var app = new AppContext("bench", "permits", Map.of("file", file.toString(), "id_fields", List.of("permit_number"),
                "collection_key", "permits", "updated_at_field", "issued_date"), Map.of(), null);
        long records = 0;
        long pages = 0;
        long peakHeap = 0;
        try (PageSource source = connector.fetch(app, FetchRequest.full("permits"))) {
            for (var page = source.next(); page.isPresent(); page = source.next()) {
                records += page.get().entities().size() + page.get().failures().size();
                pages++;
                peakHeap = Math.max(peakHeap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
        }
        System.out.println("records=" + records + " pages=" + pages + " peak_heap_mb=" + peakHeap / (1024 * 1024));
    }
}
