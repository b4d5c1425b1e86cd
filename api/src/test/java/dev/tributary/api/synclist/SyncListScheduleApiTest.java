package dev.tributary.api.synclist;

import dev.tributary.api.HttpProbe;
import dev.tributary.api.ServiceSettings;
import dev.tributary.api.StoredTriggers;
import dev.tributary.db.TestPostgres;
import dev.tributary.scheduler.schedule.CronSchedule;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET/PUT/DELETE /api/sync-list/schedule} over a real socket: the tenant's schedule put, read, replaced
 * and deleted together with its Quartz trigger; a bad cron or zone, a body that is not strictly the request,
 * or a key below {@code sync:admin} refused, changing nothing. Each test has a tenant of its own.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncListScheduleApiTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-schedule-tests-001";
    private static final String PATH = "/api/sync-list/schedule";

    @Inject
    EmbeddedServer server;
    @Inject
    Scheduler scheduler;
    @Inject
    TransactionOperations<Connection> transactions;

    @Override
    public Map<String, String> getProperties() {
        return ServiceSettings.of(TestPostgres.freshDatabase(), ADMIN_KEY).properties();
    }

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }

    private HttpResponse<String> put(String body, String... auth) {
        return http().send("PUT", PATH, body, auth);
    }

    private static Map<String, Object> ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return HttpProbe.json(response);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(code, HttpProbe.json(response).get("code"), response.body());
    }

    private static void assertField(HttpResponse<String> response, String field) {
        assertProblem(response, 400, "invalid_request");
        var errors = (List<?>) HttpProbe.json(response).get("errors");
        assertTrue(errors != null && errors.stream().anyMatch(error -> field.equals(((Map<?, ?>) error).get("field"))),
                response.body());
    }

    /** The tenant's trigger as Quartz stored it, or null. */
    private CronTrigger trigger(String tenant) {
        return new StoredTriggers(scheduler, transactions).cron(tenant, "sync-list-schedules");
    }

    private void assertTrigger(String tenant, String cron, String zone) throws CronSchedule.InvalidSchedule {
        CronTrigger stored = trigger(tenant);
        assertNotNull(stored, "a trigger for " + tenant);
        assertEquals(CronSchedule.parse(cron, zone).quartzExpression(), stored.getCronExpression());
        assertEquals(zone, stored.getTimeZone().getID());
    }

    @Test
    void aScheduleIsPutReadReplacedDisabledAndDeletedWithItsTrigger() throws Exception {
        String[] acme = http().tenantWithKey(ADMIN_KEY, "acme", "sync:admin");
        String[] globex = http().tenantWithKey(ADMIN_KEY, "globex", "sync:admin");
        assertProblem(http().get(PATH, acme), 404, "not_found");

        var first = ok(put("{\"cron\": \"0 */6 * * *\", \"timezone\": \"America/Toronto\"}", acme));
        assertEquals(List.of("0 */6 * * *", "America/Toronto", true), List.of(first.get("cron"), first.get("timezone"),
                first.get("enabled")));
        Instant firstUpdate = Instant.parse((String) first.get("updated_at"));
        assertEquals(first, ok(http().get(PATH, acme)));
        assertTrigger("acme", "0 */6 * * *", "America/Toronto");
        assertProblem(http().get(PATH, globex), 404, "not_found");
        assertNull(trigger("globex"), "another tenant's schedule is its own");

        var replaced = ok(put("{\"cron\": \"30 2 * * 1\"}", acme));
        assertEquals(List.of("30 2 * * 1", "UTC", true), List.of(replaced.get("cron"), replaced.get("timezone"),
                replaced.get("enabled")), "what the PUT leaves out takes its default");
        assertTrue(!Instant.parse((String) replaced.get("updated_at")).isBefore(firstUpdate), replaced.toString());
        assertTrigger("acme", "30 2 * * 1", "UTC");

        var disabled = ok(put("{\"cron\": \"15 8 * * *\", \"timezone\": \"Europe/Paris\", \"enabled\": false}", acme));
        assertEquals(List.of("15 8 * * *", "Europe/Paris", false), List.of(disabled.get("cron"),
                disabled.get("timezone"), disabled.get("enabled")));
        assertEquals(disabled, ok(http().get(PATH, acme)), "a disabled schedule is kept");
        assertNull(trigger("acme"), "and never fires");
        ok(put("{\"cron\": \"15 8 * * *\", \"timezone\": \"Europe/Paris\", \"enabled\": true}", acme));
        assertTrigger("acme", "15 8 * * *", "Europe/Paris");

        var deleted = http().send("DELETE", PATH, null, acme);
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals("", deleted.body());
        assertNull(trigger("acme"));
        assertProblem(http().get(PATH, acme), 404, "not_found");
        assertProblem(http().send("DELETE", PATH, null, acme), 404, "not_found");
    }

    @Test
    void aBadCronOrTimeZoneIs400NamingItAndLeavesTheScheduleAsItWas() throws Exception {
        String[] initech = http().tenantWithKey(ADMIN_KEY, "initech", "sync:admin");
        var kept = ok(put("{\"cron\": \"0 6 * * *\", \"timezone\": \"Asia/Tokyo\"}", initech));
        for (String[] refused : new String[][]{
                {"{\"cron\": \"every day\"}", "cron"},
                {"{\"cron\": \"0 6 * *\"}", "cron"},
                {"{\"cron\": \"61 * * * *\"}", "cron"},
                {"{\"cron\": \"0 0 31 2 *\"}", "cron"},
                {"{\"cron\": \"0 0 1 * 1\"}", "cron"},
                {"{\"timezone\": \"UTC\"}", "cron"},
                {"{\"cron\": null}", "cron"},
                {"{\"cron\": \"0 6 * * *\", \"timezone\": \"Mars/Olympus\"}", "timezone"},
                {"{\"cron\": \"0 6 * * *\", \"timezone\": \"+02:00\"}", "timezone"},
                {"{\"cron\": \"0 6 * * *\", \"timezone\": \"\"}", "timezone"}}) {
            assertField(put(refused[0], initech), refused[1]);
        }
        assertEquals(kept, ok(http().get(PATH, initech)));
        assertTrigger("initech", "0 6 * * *", "Asia/Tokyo");
    }

    @Test
    void theBodyIsReadStrictlyAnUnknownMemberOrAWrongTypeIs400NamingIt() {
        String[] hooli = http().tenantWithKey(ADMIN_KEY, "hooli", "sync:admin");
        assertField(put("{\"cron\": \"0 6 * * *\", \"every\": \"day\"}", hooli), "every");
        assertField(put("{\"cron\": \"0 6 * * *\", \"tenant_id\": \"acme\"}", hooli), "tenant_id");
        assertField(put("{\"cron\": 6}", hooli), "cron");
        assertField(put("{\"cron\": \"0 6 * * *\", \"enabled\": \"yes\"}", hooli), "enabled");
        assertField(put("{\"cron\": \"0 6 * * *\", \"timezone\": [\"UTC\"]}", hooli), "timezone");
        assertProblem(put("{\"cron\": ", hooli), 400, "malformed_json");
        assertEquals(400, put("[\"0 6 * * *\"]", hooli).statusCode());
        assertProblem(put(null, hooli), 400, "body_missing");
        assertProblem(http().get(PATH, hooli), 404, "not_found");
        assertNull(trigger("hooli"), "nothing refused was stored");
    }

    @Test
    void onlyASyncAdminKeyReadsOrChangesTheSchedule() throws Exception {
        String[] admin = http().tenantWithKey(ADMIN_KEY, "umbrella", "sync:admin");
        ok(put("{\"cron\": \"0 6 * * *\"}", admin));
        for (String role : List.of("sync:write", "sync:read")) {
            String[] key = HttpProbe.asTenant(http().createApiKey(ADMIN_KEY, "umbrella", role), "umbrella");
            assertProblem(http().get(PATH, key), 403, "forbidden");
            assertProblem(put("{\"cron\": \"0 7 * * *\"}", key), 403, "forbidden");
            assertProblem(http().send("DELETE", PATH, null, key), 403, "forbidden");
        }
        assertProblem(http().get(PATH, "X-Tenant-ID", "umbrella"), 401, "unauthorized");
        assertProblem(http().send("PUT", PATH, "{\"cron\": \"0 7 * * *\"}", "Authorization", "Bearer " + ADMIN_KEY,
                "X-Tenant-ID", "umbrella", "Content-Type", "application/json"), 401, "unauthorized");
        assertEquals("0 6 * * *", ok(http().get(PATH, admin)).get("cron"), "nothing refused changed it");
        assertTrigger("umbrella", "0 6 * * *", "UTC");
    }
}
