package dev.tributary.bench;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.EmbeddedPostgresServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ingest benchmark's memory target (DESIGN.md §9: "the whole service does it with
 * -Xmx256m"): the same permit feed as {@link IngestBenchmark}, synced by the packaged service
 * ({@code api/target/tributary.jar}) in its own JVM with a small heap ({@code -Dservice.heap},
 * 256m) and its worker on, through {@code POST /api/sync} as a client would. The feed is served
 * by the testkit from this JVM, which holds both documents (~420 MB) and so cannot be the
 * service's. In one run against one embedded PostgreSQL, after a warm-up on 40,000 records:
 * (a) raw COPY of the rows, as in {@link IngestBenchmark}; (b) a full sync into an empty
 * collection; (c) the re-sync with 98% unchanged — (b) and (c) timed by the runs' own
 * {@code duration_ms} (start of the attempt to its end, without the queue's pickup).
 * Also prints the node's largest heap after a collection and its peak resident memory.
 */
public final class IngestServiceBenchmark {

    private static final int RECORDS = Integer.getInteger("records", 237_000);
    private static final String HEAP = System.getProperty("service.heap", "256m");
    private static final Pattern SYNC_ID = Pattern.compile("\"sync_id\":\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z_]+)\"");
    private static final Pattern DURATION = Pattern.compile("\"duration_ms\":(\\d+)");
    /** A G1 log line's heap before and after a collection, and the heap's size: "150M->40M(256M)". */
    private static final Pattern AFTER_GC = Pattern.compile("\\d+M->(\\d+)M\\(\\d+M\\)");

    public static void main(String[] args) throws Exception {
        try (var data = TemporaryDirectory.create("tributary-bench-pg");
             var logs = TemporaryDirectory.create("tributary-bench-gc");
             var postgres = EmbeddedPostgresServer.start(data.path(), 0);
             var saas = FakeSaasServer.start()) {
            postgres.createDatabaseIfMissing("bench");
            Path gcLog = logs.path().resolve("service-gc.log");
            List<String> first = PermitFeed.records(RECORDS, 0);
            byte[] firstDocument = PermitFeed.document(first);
            byte[] secondDocument = PermitFeed.document(PermitFeed.records(RECORDS, 1));
            int recordCount = first.size();
            int warmUpRecords = Math.min(RECORDS, 40_000);
            saas.document("/warm-up.json", PermitFeed.document(PermitFeed.records(warmUpRecords, 0)));
            System.err.printf("feed: %,d records, %,d bytes; service heap -Xmx%s%n", recordCount,
                    firstDocument.length, HEAP);

            try (var node = BenchNode.start(postgres, Map.of(
                    "JAVA_TOOL_OPTIONS", "-Xmx" + HEAP + " -Xlog:gc:file=" + gcLog,
                    "TRIBUTARY_SCHEDULER_WORKER", "true",
                    "TRIBUTARY_SCHEDULER_THREADS", "1",
                    "TRIBUTARY_SCHEDULER_IDLE_WAIT", "1s",
                    "TRIBUTARY_SCHEDULER_RETRY_BASE_DELAY", "1s",
                    "TRIBUTARY_CONNECTORS_JSON_FEED_ALLOW_PRIVATE_ADDRESSES", "true"))) {
                for (String app : List.of("warm-up", "permits")) {
                    node.send("POST", "/api/apps", "{\"app_key\": \"" + app + "\", \"connector\": \"json-feed\","
                            + " \"name\": \"" + app + "\", \"config\": {\"url\": \"" + saas.baseUri() + "/" + app
                            + ".json\", \"id_fields\": [\"permit_number\"], \"updated_at_field\": \"issued_date\","
                            + " \"collection_key\": \"permits\", \"batch_size\": " + Integer.getInteger("batch", 5000)
                            + "}}", node.key, "bench");
                }
                long warmFull = sync(node, "warm-up");
                saas.document("/warm-up.json", PermitFeed.document(PermitFeed.records(warmUpRecords, 1)));
                long warmResync = sync(node, "warm-up");
                System.err.printf("warm-up on %,d records: %,d ms + %,d ms%n", warmUpRecords, warmFull, warmResync);

                long copyMillis = IngestBenchmark.rawCopy(postgres.jdbcUrl("bench"), first, data.path());
                first = null;

                saas.document("/permits.json", firstDocument);
                long gcLinesBefore = Files.readAllLines(gcLog).size();
                long nodeCpu = node.cpuMillis();
                var cpu = CpuTimes.now(data.path());
                long fullMillis = sync(node, "permits");
                long fullHeap = largestHeapAfterGc(gcLog, gcLinesBefore);
                System.err.printf("(b) full sync: %,d ms, largest heap after a collection %d MB, node CPU %,d ms;"
                        + " here (the fake's JVM and PostgreSQL) %s%n", fullMillis, fullHeap, node.cpuMillis() - nodeCpu,
                        CpuTimes.now(data.path()).minus(cpu));

                saas.document("/permits.json", secondDocument);
                gcLinesBefore = Files.readAllLines(gcLog).size();
                nodeCpu = node.cpuMillis();
                cpu = CpuTimes.now(data.path());
                long resyncMillis = sync(node, "permits");
                long resyncHeap = largestHeapAfterGc(gcLog, gcLinesBefore);
                System.err.printf("(c) re-sync: %,d ms, largest heap after a collection %d MB, node CPU %,d ms;"
                        + " here (the fake's JVM and PostgreSQL) %s%n", resyncMillis, resyncHeap, node.cpuMillis() - nodeCpu,
                        CpuTimes.now(data.path()).minus(cpu));
                long fullGcs = Files.readAllLines(gcLog).stream().filter(l -> l.contains("Pause Full")).count();

                System.out.printf("| records | service heap | (a) raw COPY | (b) full sync | (c) re-sync 98%% unchanged | b/a | c/a | c/b | heap after GC, largest (b / c) | full GCs | node peak RSS |%n");
                System.out.printf("|---|---|---|---|---|---|---|---|---|---|---|%n");
                System.out.printf("| %,d | -Xmx%s | %,d ms | %,d ms | %,d ms | %.2f | %.2f | %.2f | %d / %d MB | %d | %d MB |%n",
                        recordCount, HEAP, copyMillis, fullMillis, resyncMillis, fullMillis / (double) copyMillis,
                        resyncMillis / (double) copyMillis, resyncMillis / (double) fullMillis, fullHeap, resyncHeap,
                        fullGcs, node.peakResidentMb());
            }
        }
    }

    /** Queues a full sync of the app and waits for it; the run's duration_ms. Anything but completed is an error. */
    private static long sync(BenchNode node, String app) throws Exception {
        Matcher id = SYNC_ID.matcher(node.send("POST", "/api/sync", "{\"app_key\": \"" + app + "\", \"mode\": \"full\"}",
                node.key, "bench").body());
        if (!id.find()) {
            throw new IllegalStateException("POST /api/sync answered no sync_id");
        }
        String path = "/api/sync/status/" + id.group(1);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            String body = node.send("GET", path, null, node.key, "bench").body();
            Matcher status = STATUS.matcher(body);
            String state = status.find() ? status.group(1) : "";
            if (state.equals("completed")) {
                Matcher duration = DURATION.matcher(body);
                if (!duration.find()) {
                    throw new IllegalStateException("a completed run without duration_ms: " + body);
                }
                System.err.println("    " + body.replaceAll(".*(\"records\":\\{[^}]*}).*", "$1"));
                return Long.parseLong(duration.group(1));
            }
            if (!state.equals("queued") && !state.equals("running")) {
                throw new IllegalStateException("the sync of " + app + " ended " + state + ": " + body);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new IllegalStateException("the sync of " + app + " did not finish within 10 minutes");
    }

    /**
     * The largest heap left after any collection logged since line {@code from}: an upper bound of what the
     * node kept alive (a young collection leaves the old generation's garbage in place).
     */
    private static long largestHeapAfterGc(Path gcLog, long from) throws Exception {
        return Files.readAllLines(gcLog).stream().skip(from).map(AFTER_GC::matcher).filter(Matcher::find)
                .mapToLong(m -> Long.parseLong(m.group(1))).max().orElse(0);
    }
}
