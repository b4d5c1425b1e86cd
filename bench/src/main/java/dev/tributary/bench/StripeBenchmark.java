package dev.tributary.bench;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorRegistry;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.stripe.StripeConfiguration;
import dev.tributary.connector.stripe.StripeConnector;
import dev.tributary.connector.testkit.FakeStripe;
import dev.tributary.db.EmbeddedPostgresServer;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.scheduler.engine.SyncEngine;
import dev.tributary.scheduler.engine.SyncOutcome;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.scheduler.run.SyncRuns;
import dev.tributary.tenancy.TenantId;
import io.micronaut.context.ApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The Stripe full-sync benchmark (DESIGN.md §9): 100,000 customers served by the
 * testkit's fake Stripe, 100 per page, through the Stripe connector (stripe-java),
 * measured in one run against one embedded PostgreSQL:
 * (a) fetch only — every page read, parsed and normalized, nothing written: the
 * ceiling the fake server and the SDK allow;
 * (b) a full sync into an empty database;
 * (c) a re-sync with everything unchanged;
 * (d) when {@code bench/stripe-sync-engine} has its node_modules ({@code npm ci} there), the
 * baseline DESIGN.md names: {@code @supabase/stripe-sync-engine}'s customer backfill from the
 * same fake into another database of the same PostgreSQL.
 * Prints records/s and the ratios as Markdown.
 */
public final class StripeBenchmark {

    private static final int CUSTOMERS = Integer.getInteger("customers", 100_000);
    private static final String KEY = "sk_test_benchmark";

    public static void main(String[] args) throws Exception {
        try (var data = TemporaryDirectory.create("tributary-bench-pg");
             var postgres = EmbeddedPostgresServer.start(data.path(), 0);
             var stripe = FakeStripe.start(KEY);
             var warmUpStripe = FakeStripe.start(KEY)) {
            postgres.createDatabaseIfMissing("bench");
            stripe.seedCustomers(CUSTOMERS);
            warmUpStripe.seedCustomers(Math.min(CUSTOMERS, 20_000));
            Map<String, Object> properties = BenchService.properties(postgres, "bench");
            properties.put("tributary.connectors.stripe.api-base", stripe.baseUri().toString());
            try (ApplicationContext context = ApplicationContext.run(properties)) {
                try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("bench"), "postgres", "")) {
                    c.createStatement().execute("INSERT INTO tributary.tenants (id, name) VALUES ('bench', 'Bench')");
                    c.createStatement().execute("INSERT INTO tributary.apps (tenant_id, app_key, connector, name)"
                            + " VALUES ('bench', 'billing', 'stripe', 'Billing'), ('bench', 'warm-up', 'stripe', 'W')");
                }
                Connector connector = context.getBean(ConnectorRegistry.class).byProvider("stripe").orElseThrow();
                // Warm-up: the whole path on a smaller account, so the measured runs find the JIT warm.
                Connector warmUp = new StripeConnector(new StripeConfiguration(warmUpStripe.baseUri().toString(),
                        null, null), Clock.systemUTC());
                fetchOnly(warmUp);
                sync(context, warmUp, "warm-up");
                sync(context, warmUp, "warm-up");

                var cpu = CpuTimes.now(data.path());
                long started = System.nanoTime();
                long fetched = fetchOnly(connector);
                long fetchMillis = (System.nanoTime() - started) / 1_000_000;
                System.err.printf("(a) fetch only: %,d records in %,d ms, %s%n", fetched, fetchMillis,
                        CpuTimes.now(data.path()).minus(cpu));
                cpu = CpuTimes.now(data.path());
                long fullMillis = sync(context, connector, "billing");
                System.err.printf("(b) full sync: %,d ms, %s%n", fullMillis, CpuTimes.now(data.path()).minus(cpu));
                cpu = CpuTimes.now(data.path());
                long resyncMillis = sync(context, connector, "billing");
                System.err.printf("(c) re-sync: %,d ms, %s%n", resyncMillis, CpuTimes.now(data.path()).minus(cpu));

                long engineMillis = stripeSyncEngine(postgres, data.path(), stripe, warmUpStripe);

                System.out.printf("| customers | (a) fetch only | (b) full sync | (c) re-sync unchanged | (d) stripe-sync-engine backfill | b/a | c/b | b/d |%n");
                System.out.printf("|---|---|---|---|---|---|---|---|%n");
                System.out.printf("| %,d | %,d ms (%,.0f/s) | %,d ms (%,.0f/s) | %,d ms (%,.0f/s) | %s | %.2f | %.2f | %s |%n",
                        fetched, fetchMillis, perSecond(fetched, fetchMillis), fullMillis,
                        perSecond(fetched, fullMillis), resyncMillis, perSecond(fetched, resyncMillis),
                        engineMillis < 0 ? "not run" : String.format("%,d ms (%,.0f/s)", engineMillis,
                                perSecond(fetched, engineMillis)),
                        fullMillis / (double) fetchMillis, resyncMillis / (double) fullMillis,
                        engineMillis < 0 ? "—" : String.format("%.2f", fullMillis / (double) engineMillis));
            }
        }
    }

    /**
     * Runs {@code bench/stripe-sync-engine/backfill.mjs} (Node) against the same fake Stripe and
     * PostgreSQL; its milliseconds for the measured backfill, or -1 when it is not installed.
     */
    private static long stripeSyncEngine(EmbeddedPostgresServer postgres, Path postgresData, FakeStripe stripe,
                                         FakeStripe warmUp)
            throws Exception {
        Path script = Path.of(System.getProperty("bench.dir", "bench"), "stripe-sync-engine");
        if (!Files.isDirectory(script.resolve("node_modules"))) {
            System.err.println("(d) stripe-sync-engine: skipped; run `npm ci` in " + script);
            return -1;
        }
        postgres.createDatabaseIfMissing("ssengine");
        postgres.createDatabaseIfMissing("ssengine_warmup");
        String url = "postgresql://" + EmbeddedPostgresServer.SUPERUSER + "@localhost:" + postgres.port() + "/";
        var command = new ProcessBuilder("node", "backfill.mjs").directory(script.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        command.environment().putAll(Map.of("STRIPE_KEY", KEY, "STRIPE_BASE", stripe.baseUri().toString(),
                "WARMUP_BASE", warmUp.baseUri().toString(), "DATABASE_URL", url + "ssengine",
                "WARMUP_DATABASE_URL", url + "ssengine_warmup"));
        var cpu = CpuTimes.now(postgresData);
        Process node = command.start();
        String output = new String(node.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (node.waitFor() != 0 || !output.contains("\"ms\":")) {
            throw new IllegalStateException("stripe-sync-engine failed: " + output);
        }
        String result = output.lines().filter(l -> l.contains("\"ms\":")).reduce((a, b) -> b).orElseThrow();
        long stored;
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("ssengine"), "postgres", "")) {
            var rs = c.createStatement().executeQuery("SELECT count(*) FROM stripe.customers");
            rs.next();
            stored = rs.getLong(1);
        }
        System.err.printf("(d) stripe-sync-engine (warm-up and measured run): %s, %,d rows stored; %s (the JVM's"
                + " is the fake's; Node's own is not counted)%n", result, stored, CpuTimes.now(postgresData).minus(cpu));
        return Long.parseLong(result.replaceAll(".*\"ms\":(\\d+).*", "$1"));
    }

    private static double perSecond(long records, long millis) {
        return records * 1000.0 / millis;
    }

    /** Every customer page, read and normalized, written nowhere. */
    private static long fetchOnly(Connector connector) throws Exception {
        long records = 0;
        try (PageSource pages = connector.fetch(app("billing"), FetchRequest.full("stripe_customer"))) {
            for (Optional<Page> page = pages.next(); page.isPresent(); page = pages.next()) {
                records += page.get().entities().size();
            }
        }
        return records;
    }

    private static long sync(ApplicationContext context, Connector connector, String appKey) {
        var request = new SyncRequest(new TenantId("bench"), appKey, "stripe_customer", RunMode.FULL, false,
                false);
        var runs = context.getBean(SyncRuns.class);
        var run = runs.begin(request, RunTrigger.MANUAL, 1, "bench");
        long started = System.nanoTime();
        SyncOutcome outcome = context.getBean(SyncEngine.class).run(run.id(), request, connector, app(appKey));
        long millis = (System.nanoTime() - started) / 1_000_000;
        runs.finish(request, run, outcome);
        System.err.println("    " + outcome.status().value() + " " + outcome.counts());
        if (!(outcome instanceof SyncOutcome.Completed)) {
            throw new IllegalStateException("sync did not complete: " + outcome.error());
        }
        return millis;
    }

    private static AppContext app(String appKey) {
        return new AppContext("bench", appKey, Map.of(), Map.of("api_key", KEY), null);
    }
}
