package dev.tributary.bench;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.ConnectorRegistry;
import dev.tributary.connector.json.CanonicalJson;
import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.EmbeddedPostgresServer;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.scheduler.engine.SyncEngine;
import dev.tributary.scheduler.engine.SyncOutcome;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.scheduler.run.SyncRuns;
import dev.tributary.tenancy.TenantId;
import io.micronaut.context.ApplicationContext;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The ingest benchmark (DESIGN.md §9): 237,000 permit-like records (~220 MB) served
 * over HTTP by the testkit, measured in one run against one embedded PostgreSQL:
 * (a) raw COPY of the same rows into a bare staging table — the ceiling;
 * (b) a json-feed full sync into an empty database;
 * (c) a re-sync with 98% unchanged, 1% changed, 1% new and 1% missing.
 * Prints the figures and the ratios b/a and c/a as Markdown.
 */
public final class IngestBenchmark {

    private static final int RECORDS = Integer.getInteger("records", 237_000);

    public static void main(String[] args) throws Exception {
        try (var data = TemporaryDirectory.create("tributary-bench-pg");
             var postgres = EmbeddedPostgresServer.start(data.path(), 0);
             var saas = FakeSaasServer.start()) {
            postgres.createDatabaseIfMissing("bench");
            Map<String, Object> properties = BenchService.properties(postgres, "bench");

            List<String> first = PermitFeed.records(RECORDS, 0);
            byte[] firstDocument = PermitFeed.document(first);
            byte[] secondDocument = PermitFeed.document(PermitFeed.records(RECORDS, 1));
            int recordCount = first.size();
            System.err.printf("feed: %,d records, %,d bytes%n", recordCount, firstDocument.length);

            try (ApplicationContext context = ApplicationContext.run(properties)) {
                try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("bench"), "postgres", "")) {
                    c.createStatement().execute("INSERT INTO tributary.tenants (id, name) VALUES ('bench', 'Bench')");
                    c.createStatement().execute("INSERT INTO tributary.apps (tenant_id, app_key, connector, name)"
                            + " VALUES ('bench', 'permits', 'json-feed', 'Permits'), ('bench', 'warm-up', 'json-feed', 'Warm-up')");
                }
                warmUp(context, saas);
                String url = postgres.jdbcUrl("bench");
                long wal = walPosition(url);
                long copyMillis = rawCopy(url, first, data.path());
                long copyWal = walPosition(url) - wal;
                first = null;

                saas.document("/permits.json", firstDocument);
                resetPeaks();
                var cpu = CpuTimes.now(data.path());
                wal = walPosition(url);
                long fullMillis = sync(context, saas);
                long fullHeap = peakHeapMb();
                long fullWal = walPosition(url) - wal;
                System.err.printf("(b) full sync: %,d ms, peak heap %d MB, WAL %,d MB, %s%n", fullMillis, fullHeap,
                        fullWal >> 20, CpuTimes.now(data.path()).minus(cpu));

                saas.document("/permits.json", secondDocument);
                resetPeaks();
                cpu = CpuTimes.now(data.path());
                wal = walPosition(url);
                long resyncMillis = sync(context, saas);
                long resyncHeap = peakHeapMb();
                long resyncWal = walPosition(url) - wal;
                System.err.printf("(c) re-sync: %,d ms, peak heap %d MB, WAL %,d MB, %s%n", resyncMillis, resyncHeap,
                        resyncWal >> 20, CpuTimes.now(data.path()).minus(cpu));

                System.out.printf("| records | feed size | (a) raw COPY | (b) full sync | (c) re-sync 98%% unchanged | b/a | c/a | c/b | peak heap (b / c) | WAL (a / b / c) |%n");
                System.out.printf("|---|---|---|---|---|---|---|---|---|---|%n");
                System.out.printf("| %,d | %.0f MB | %,d ms | %,d ms | %,d ms | %.2f | %.2f | %.2f | %d / %d MB | %d / %d / %d MB |%n",
                        recordCount, firstDocument.length / 1e6, copyMillis, fullMillis, resyncMillis,
                        fullMillis / (double) copyMillis, resyncMillis / (double) copyMillis,
                        resyncMillis / (double) fullMillis, fullHeap, resyncHeap, copyWal >> 20, fullWal >> 20,
                        resyncWal >> 20);
            }
        }
    }

    /** The ceiling: the same rows, ids and hashes, streamed with COPY into a table with the entities' columns. */
    static long rawCopy(String url, List<String> records, Path postgresData) throws Exception {
        StringBuilder csv = new StringBuilder(records.size() * 1100);
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < records.size(); i++) {
            String record = records.get(i);
            csv.append("bench,permits,permits,").append(PermitFeed.id(i)).append(",\"")
                    .append(record.replace("\"", "\"\"")).append("\",\\x")
                    .append(hex.formatHex(CanonicalJson.text(CanonicalJson.parse(record)).sha256())).append('\n');
        }
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            c.createStatement().execute("CREATE TABLE bench_copy (tenant_id text, app_key text, collection_key text,"
                    + " external_id text, raw_payload jsonb, content_hash bytea)");
            var cpu = CpuTimes.now(postgresData);
            long started = System.nanoTime();
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY bench_copy FROM STDIN (FORMAT csv)",
                    new StringReader(csv.toString()));
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.err.printf("(a) raw COPY: %,d ms, %s%n", millis, CpuTimes.now(postgresData).minus(cpu));
            return millis;
        }
    }

    /**
     * Where PostgreSQL's write-ahead log is, in bytes: the difference over a phase is what it wrote
     * there, a cost that does not depend on how busy the machine is.
     */
    static long walPosition(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             var result = c.createStatement().executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')")) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * Runs the whole path (full sync, then re-sync) on a smaller feed into another app first,
     * so that the measured runs find the JIT warm, as a long-running service does.
     */
    private static void warmUp(ApplicationContext context, FakeSaasServer saas) {
        int records = Math.min(RECORDS, 40_000);
        saas.document("/warm-up.json", PermitFeed.document(PermitFeed.records(records, 0)));
        long full = sync(context, saas, "warm-up");
        saas.document("/warm-up.json", PermitFeed.document(PermitFeed.records(records, 1)));
        long resync = sync(context, saas, "warm-up");
        System.err.printf("warm-up on %,d records: %,d ms + %,d ms%n", records, full, resync);
    }

    private static long sync(ApplicationContext context, FakeSaasServer saas) {
        return sync(context, saas, "permits");
    }

    private static long sync(ApplicationContext context, FakeSaasServer saas, String appKey) {
        var request = new SyncRequest(new TenantId("bench"), appKey, null, RunMode.FULL, false, false);
        var app = new AppContext("bench", appKey, Map.of("url", saas.baseUri() + "/" + appKey + ".json",
                "id_fields", List.of("permit_number"), "updated_at_field", "issued_date",
                "collection_key", "permits", "batch_size", Integer.getInteger("batch", 1000)), Map.of(), null);
        var runs = context.getBean(SyncRuns.class);
        var run = runs.begin(request, RunTrigger.MANUAL, 1, "bench");
        long started = System.nanoTime();
        SyncOutcome outcome = context.getBean(SyncEngine.class).run(run.id(), request,
                context.getBean(ConnectorRegistry.class).byProvider("json-feed").orElseThrow(), app);
        long millis = (System.nanoTime() - started) / 1_000_000;
        runs.finish(request, run, outcome);
        System.err.println("    " + outcome.status().value() + " " + outcome.counts());
        if (!(outcome instanceof SyncOutcome.Completed)) {
            throw new IllegalStateException("sync did not complete: " + outcome.error());
        }
        return millis;
    }

    private static long baselineHeap;

    /** Starts a peak measurement above what the harness itself holds (the served documents). */
    private static void resetPeaks() {
        System.gc();
        baselineHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** Peak heap during the sync, above the harness's own resident data (pools peak separately: an upper bound). */
    private static long peakHeapMb() {
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return Math.max(0, peak - baselineHeap) / (1024 * 1024);
    }
}
