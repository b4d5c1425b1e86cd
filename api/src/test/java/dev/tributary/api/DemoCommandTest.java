package dev.tributary.api;

import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar tributary.jar demo} as its own process on real PostgreSQL: what a newcomer sees and gets. */
class DemoCommandTest {

    private static final String READY = "Serving until Ctrl-C.";

    @Test
    void theDemoSyncsBothAppsChangesAFewRecordsSyncsAgainAndKeepsServingAndASecondRunReusesIt(
            @TempDir Path demoDirectory) throws Exception {
        TestDatabase database = TestPostgres.freshDatabase();
        var environment = Map.of(
                "DATASOURCES_DEFAULT_URL", database.jdbcUrl(),
                "DATASOURCES_DEFAULT_USERNAME", database.username(),
                "DATASOURCES_DEFAULT_PASSWORD", database.password(),
                "TRIBUTARY_DEMO_DIRECTORY", demoDirectory.toString());
        try (var demo = ServiceProcess.start(environment, "demo")) {
            await().atMost(Duration.ofSeconds(120)).until(() -> demo.stdoutText().contains(READY) || !demo.isAlive());
            String out = demo.stdoutText();
            assertTrue(out.contains(READY), out + demo.stderrText());
            assertTrue(out.contains("  created tenant demo"), out);
            assertTrue(out.contains("sync permits full: completed, new 3000, updated 0"), out);
            assertTrue(out.contains("sync inspections full: completed, new 400, updated 0"), out);
            assertTrue(out.contains("sync permits full: completed, new 0, updated 5, unchanged 2995"), out);
            assertTrue(out.contains("sync inspections incremental: completed, new 0, updated 5, unchanged 0"), out);
            assertTrue(out.contains("  console: " + demo.uri() + "/console"), out);
            assertTrue(out.contains("  psql: psql 'postgresql://" + database.username() + "@"), out);
            // Not a terminal: progress comes as plain lines.
            assertTrue(demo.stderrText().contains("permits full: 3000/3000 (100%)"), demo.stderrText());

            String adminKey = printed(out, "  admin key (generated for this process; set TRIBUTARY_ADMIN_API_KEY to keep one): ");
            String tenantKey = printed(out, "  tenant key (sync:admin on demo, send X-Tenant-ID: demo): ");
            var http = new HttpProbe(demo.uri());
            assertEquals(200, http.get("/admin/tenants/demo", "Authorization", "Bearer " + adminKey).statusCode());
            String[] asDemo = HttpProbe.asTenant(tenantKey, "demo");
            var apps = http.get("/api/apps", asDemo);
            assertEquals(200, apps.statusCode(), apps.body());
            assertTrue(apps.body().contains("\"permits\"") && apps.body().contains("\"inspections\""), apps.body());
            assertEquals(3000, database.queryLong("SELECT count(*) FROM tributary.entities"
                    + " WHERE tenant_id = 'demo' AND app_key = 'permits'"));
            assertEquals(400, database.queryLong("SELECT count(*) FROM tributary.entities"
                    + " WHERE tenant_id = 'demo' AND app_key = 'inspections'"));
            var changedPermit = http.get("/api/apps/permits/collections/permits/records?ids=BP-2024-00007", asDemo);
            assertEquals(200, changedPermit.statusCode(), changedPermit.body());
            assertTrue(changedPermit.body().contains("\"Final\""), changedPermit.body());
            var changedInspection = http.get("/api/apps/inspections/collections/inspections/records?ids=insp-7", asDemo);
            assertTrue(changedInspection.body().contains("Passed on reinspection"), changedInspection.body());
            var runs = HttpProbe.json(http.get("/api/sync/status?app_key=inspections", asDemo));
            assertEquals(List.of("incremental", "full"), ((List<?>) runs.get("items")).stream()
                    .map(run -> ((Map<?, ?>) run).get("mode")).toList(), runs.toString());
        }
        try (var again = ServiceProcess.start(environment, "demo")) {
            await().atMost(Duration.ofSeconds(120)).until(() -> again.stdoutText().contains(READY) || !again.isAlive());
            String out = again.stdoutText();
            assertTrue(out.contains(READY), out + again.stderrText());
            assertTrue(out.contains("  tenant demo exists: reusing it"), out);
            assertTrue(out.contains("  app permits exists: reusing it with this run's source"), out);
            assertTrue(out.contains("  app inspections exists: reusing it with this run's source"), out);
            assertTrue(out.contains("sync inspections incremental: completed, new 0, updated 5"), out);
        }
    }

    private static String printed(String out, String prefix) {
        return out.lines().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> line.substring(prefix.length())).orElseThrow(() -> new AssertionError(prefix + " in " + out));
    }
}
