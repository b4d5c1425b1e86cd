package dev.tributary.api;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.run.RunMode;
import dev.tributary.scheduler.engine.SyncOutcome;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.tenancy.TenantId;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * {@code java -jar tributary.jar demo}: the service as usual, plus a first run that shows its main job —
 * tenant {@code demo} with a tenant key, an app on a generated building-permit feed (json-feed, from a
 * directory the demo allows) and one on a fake JSON API started in this process (testkit's
 * {@link FakeSaasServer}, through http-json), a full sync of each, a few records changed and synced again.
 * Set-up goes through the service's own HTTP API, as a newcomer's script would; syncs run in this thread
 * ({@link ForegroundSync}) so their progress can be shown. Running it again reuses what exists.
 */
final class DemoCommand {

    static final String TENANT = "demo";
    static final int PERMITS = 3_000;
    static final int INSPECTIONS = 400;
    /** Which permits and inspections the second round changes. */
    static final Set<Integer> CHANGED = Set.of(6, 41, 177, 250, 399);

    private final PrintStream out;
    private final ProgressDisplay progress;
    private final ApplicationContext context;
    private final JsonMapper json;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI base;
    private final String adminKey;

    private DemoCommand(PrintStream out, ProgressDisplay progress, ApplicationContext context, String adminKey) {
        this.out = out;
        this.progress = progress;
        this.context = context;
        this.json = context.getBean(JsonMapper.class);
        this.base = context.getBean(EmbeddedServer.class).getURI();
        this.adminKey = adminKey;
    }

    /** Starts the service and runs the demo in it; 0 when it went through (the service keeps serving). */
    static int run(String[] args, Map<String, Object> databaseProperties, PrintStream out, PrintStream err,
                   boolean terminal) {
        Map<String, Object> properties = new HashMap<>(databaseProperties);
        Settings settings = Settings.read(args);
        String adminKey = settings.adminKey() != null ? settings.adminKey() : generatedKey();
        properties.put("tributary.admin-api-key", adminKey);
        Path directory = createdDirectory(settings.directory());
        List<String> allowed = new ArrayList<>(settings.allowedDirectories());
        allowed.add(directory.toString());
        properties.put("tributary.connectors.json-feed.allowed-directories", allowed);
        // The fake API listens on 127.0.0.1, which http-json refuses unless told otherwise.
        properties.put("tributary.connectors.http-json.allow-private-addresses", "true");
        ApplicationContext context = Application.serve(args, properties);
        try {
            new DemoCommand(out, new ProgressDisplay(err, terminal), context, adminKey)
                    .tour(directory.resolve("permits.jsonl"), settings.adminKey() == null);
            return 0;
        } catch (RuntimeException e) {
            err.println("tributary: demo failed: " + StartupFailure.describe(e));
            return 1;
        }
    }

    private void tour(Path feed, boolean adminKeyGenerated) {
        out.println("Tributary demo on " + base);
        int tenant = admin("POST", "/admin/tenants", Map.of("id", TENANT, "name", "Demo")).statusCode();
        out.println(tenant == 409 ? "  tenant demo exists: reusing it" : "  created tenant demo");
        String tenantKey = (String) read(expect(201, admin("POST", "/admin/tenants/" + TENANT + "/api-keys",
                Map.of("name", "demo", "roles", List.of("sync:admin"))))).get("key");

        new DemoPermitFeed(PERMITS).write(feed, Set.of());
        app(tenantKey, "permits", "json-feed", "Building permits", Map.of("file", feed.toString(), "format", "jsonl",
                "id_fields", List.of("permit_number"), "updated_at_field", "status_date",
                "archived_when", Map.of("field", "status", "equals", "Cancelled"), "collection_key", "permits"));
        FakeSaasServer inspections = FakeSaasServer.start();
        IntStream.range(0, INSPECTIONS).forEach(i -> inspections.put("inspections", inspectionId(i), inspection(i, false)));
        app(tenantKey, "inspections", "http-json", "Site inspections (a fake API in this process)", Map.of(
                "base_url", inspections.baseUri().toString(), "auth", Map.of("type", "none"),
                "pagination", Map.of("style", "offset", "page_size", 100), "updated_at_field", "updated_at",
                "incremental_param", "updated_since",
                "collections", List.of(Map.of("collection_key", "inspections", "path", "inspections"))));

        sync("permits", RunMode.FULL, PERMITS);
        sync("inspections", RunMode.FULL, INSPECTIONS);
        new DemoPermitFeed(PERMITS).write(feed, CHANGED);
        CHANGED.forEach(i -> inspections.put("inspections", inspectionId(i), inspection(i, true)));
        out.println("  changed " + CHANGED.size() + " permits in the feed and " + CHANGED.size() + " inspections");
        // A feed cannot be asked what changed: its second run is full, content hashes tell the changed apart.
        sync("permits", RunMode.FULL, PERMITS);
        sync("inspections", RunMode.INCREMENTAL, CHANGED.size());

        out.println("  admin key (" + (adminKeyGenerated ? "generated for this process; set TRIBUTARY_ADMIN_API_KEY"
                + " to keep one" : "TRIBUTARY_ADMIN_API_KEY") + "): " + adminKey);
        out.println("  tenant key (sync:admin on demo, send X-Tenant-ID: demo): " + tenantKey);
        out.println("  console: " + base.resolve("/console"));
        out.println("  psql: " + psqlLine());
        out.println("Serving until Ctrl-C.");
    }

    private void app(String tenantKey, String appKey, String connector, String name, Map<String, Object> config) {
        var created = tenant(tenantKey, "POST", "/api/apps", Map.of("app_key", appKey, "connector", connector,
                "name", name, "config", config));
        if (created.statusCode() == 409) {
            // A fake API listens on a new port each run, and the feed may have moved: the config is renewed.
            expect(200, tenant(tenantKey, "PATCH", "/api/apps/" + appKey, Map.of("config", config)));
            out.println("  app " + appKey + " exists: reusing it with this run's source");
        } else {
            expect(201, created);
            out.println("  created app " + appKey + " (" + connector + ")");
        }
    }

    private void sync(String appKey, RunMode mode, int expected) {
        var request = new SyncRequest(new TenantId(TENANT), appKey, null, mode, false, false);
        String label = appKey + " " + mode.name().toLowerCase();
        var finished = new ForegroundSync(context).run(request,
                        (collection, soFar) -> progress.show(label, soFar.total(), expected, ""))
                .orElseThrow(() -> new IllegalStateException("app " + appKey + " vanished"));
        progress.finish();
        var counts = finished.outcome().counts();
        out.println("  sync " + label + ": " + finished.outcome().status().value() + ", new " + counts.created()
                + ", updated " + counts.updated() + ", unchanged " + counts.unchanged() + ", archived "
                + counts.archived() + " (run " + finished.syncId() + ")");
        if (!(finished.outcome() instanceof SyncOutcome.Completed)) {
            throw new IllegalStateException("the " + label + " sync ended " + finished.outcome().status().value()
                    + (finished.outcome().error() == null ? "" : ": " + finished.outcome().error()));
        }
    }

    private String psqlLine() {
        String url = context.getProperty("datasources.default.url", String.class).orElse("");
        String user = context.getProperty("datasources.default.username", String.class).orElse("postgres");
        String connection = url.replaceFirst("^jdbc:postgresql://", "postgresql://" + user + "@");
        return "psql '" + connection + "' -c \"SELECT app_key, collection_key, count(*) FROM tributary.entities"
                + " WHERE tenant_id = 'demo' GROUP BY 1, 2\"";
    }

    static String inspectionId(int index) {
        return "insp-" + (index + 1);
    }

    private static Map<String, Object> inspection(int index, boolean changed) {
        return Map.of("permit_number", DemoPermitFeed.permitNumber(index), "inspector", "Inspector " + (1 + index % 12),
                "result", changed ? "Passed on reinspection" : index % 4 == 0 ? "Failed" : "Passed");
    }

    /** The directory, made if missing, with links resolved: json-feed compares real paths with the allowed ones. */
    private static Path createdDirectory(Path directory) {
        try {
            return Files.createDirectories(directory).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the demo directory " + directory, e);
        }
    }

    private static String generatedKey() {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        return "demo-admin-" + HexFormat.of().formatHex(key);
    }

    private HttpResponse<String> admin(String method, String path, Object body) {
        return send(method, path, body, "Authorization", "Bearer " + adminKey);
    }

    private HttpResponse<String> tenant(String key, String method, String path, Object body) {
        return send(method, path, body, "Authorization", "Bearer " + key, "X-Tenant-ID", TENANT);
    }

    private HttpResponse<String> send(String method, String path, Object body, String... headers) {
        try {
            var request = HttpRequest.newBuilder(base.resolve(path)).headers(headers)
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.uri().getPath()
                    + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    private Map<String, Object> read(HttpResponse<String> response) {
        try {
            return json.readValue(response.body(), Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /**
     * What the demo reads from the configuration before the service starts: an operator key if one is set,
     * the feed directories already allowed, and where the demo keeps its feed ({@code tributary.demo.directory},
     * default {@code .tributary/demo}, beside the embedded database's data).
     */
    record Settings(String adminKey, List<String> allowedDirectories, Path directory) {

        static Settings read(String[] args) {
            try (ApplicationContext probe = ApplicationContext.builder().args(args).deduceEnvironment(false).build()) {
                var environment = probe.getEnvironment().start();
                String adminKey = environment.getProperty("tributary.admin-api-key", String.class)
                        .filter(s -> !s.isBlank()).orElse(null);
                List<String> allowed = environment.getProperty("tributary.connectors.json-feed.allowed-directories",
                        Argument.listOf(String.class)).orElse(List.of());
                String directory = environment.getProperty("tributary.demo.directory", String.class)
                        .orElse(".tributary/demo");
                return new Settings(adminKey, allowed, Path.of(directory).toAbsolutePath().normalize());
            }
        }
    }
}
