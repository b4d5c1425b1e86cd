package dev.tributary.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestPostgres;
import dev.tributary.sdk.ApiClient;
import dev.tributary.sdk.ApiException;
import dev.tributary.sdk.ApiResponse;
import dev.tributary.sdk.JSON;
import dev.tributary.sdk.api.AdminApi;
import dev.tributary.sdk.api.AppsApi;
import dev.tributary.sdk.api.RecordsApi;
import dev.tributary.sdk.api.SyncApi;
import dev.tributary.sdk.model.ApiKeyCreate;
import dev.tributary.sdk.model.App;
import dev.tributary.sdk.model.AppCreate;
import dev.tributary.sdk.model.FailedRecord;
import dev.tributary.sdk.model.IssuedApiKey;
import dev.tributary.sdk.model.Problem;
import dev.tributary.sdk.model.QueuedRun;
import dev.tributary.sdk.model.RecordPage;
import dev.tributary.sdk.model.RetryResult;
import dev.tributary.sdk.model.RunStatus;
import dev.tributary.sdk.model.SyncRun;
import dev.tributary.sdk.model.SyncTrigger;
import dev.tributary.sdk.model.Tenant;
import dev.tributary.sdk.model.TenantCreate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SDKs as a client developer uses them, against the packaged service on real PostgreSQL, every exchange
 * checked against the committed document by {@link ValidatingProxy}: the Java SDK through the whole tenant flow
 * and its typed errors, the TypeScript SDK through a smoke flow under node. Sources are the testkit's fake API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkContractTest {

    static final String ADMIN_KEY = "admin-key-for-the-sdk-contract-01";
    static final Set<RunStatus> FINISHED = Set.of(RunStatus.COMPLETED,
            RunStatus.COMPLETED_WITH_ERRORS, RunStatus.FAILED, RunStatus.DEAD_LETTERED,
            RunStatus.CANCELLED);

    /** Three good orders and one whose updated_at is not a time: a per-record failure with an id. */
    private final FakeSaasServer orders = FakeSaasServer.start().putMany("items", "order", 3)
            .put("items", "bad-1", Map.of("updated_at", "not a time"));
    /** A source slow enough that a run of it is still running while the test cancels it. */
    private final FakeSaasServer slow = FakeSaasServer.start().putMany("items", "slow", 30);
    /** The TypeScript flow's source: three records. */
    private final FakeSaasServer smokeSource = FakeSaasServer.start().putMany("items", "item", 3);
    private PackagedService service;
    private ValidatingProxy proxy;

    @BeforeAll
    void serviceBehindTheValidator() throws IOException {
        service = PackagedService.start(TestPostgres.freshDatabase(), Map.of(
                "TRIBUTARY_ADMIN_API_KEY", ADMIN_KEY,
                "TRIBUTARY_CONNECTORS_HTTP_JSON_ALLOW_PRIVATE_ADDRESSES", "true",
                "TRIBUTARY_RATE_LIMIT_SYNC_TRIGGERS_PER_MINUTE", "1000",
                "TRIBUTARY_SCHEDULER_IDLE_WAIT", "1s",
                "TRIBUTARY_SCHEDULER_LOCK_RETRY_DELAY", "200ms"));
        proxy = ValidatingProxy.in(PackagedService.committedDocument(), service.uri);
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (service != null) {
            service.close();
        }
        orders.close();
        slow.close();
        smokeSource.close();
    }

    @Test
    void theTenantFlowThroughTheJavaSdk() throws Exception {
        // The operator creates a tenant and gives it a key.
        AdminApi admin = new AdminApi(client(ADMIN_KEY));
        Tenant acme = admin.createTenant(new TenantCreate().id("acme").name("Acme"));
        assertEquals("acme", acme.getId());
        IssuedApiKey issued = admin.createApiKey("acme", new ApiKeyCreate().name("sdk")
                .roles(List.of(ApiKeyCreate.RolesEnum.SYNC_ADMIN)));
        AppsApi apps = new AppsApi(client(issued.getKey()));
        SyncApi sync = new SyncApi(client(issued.getKey()));
        RecordsApi records = new RecordsApi(client(issued.getKey()));

        // The tenant connects its orders API.
        ApiResponse<App> created = apps.createAppWithHttpInfo("acme", ordersApp("orders", orders));
        assertEquals(201, created.getStatusCode());
        assertEquals("/api/apps/orders", header(created, "Location"));
        assertEquals(Boolean.TRUE, created.getData().getCredentialsSet());

        // A trigger with an idempotency key, and its replay: the same run, said to be a replay.
        SyncTrigger full = new SyncTrigger().appKey("orders").collection("items").mode(SyncTrigger.ModeEnum.FULL);
        ApiResponse<QueuedRun> queued = sync.triggerSyncWithHttpInfo("acme", full, "orders-full-1");
        assertEquals(202, queued.getStatusCode());
        UUID syncId = queued.getData().getSyncId();
        assertEquals("/api/sync/status/" + syncId, header(queued, "Location"));
        ApiResponse<QueuedRun> replayed = sync.triggerSyncWithHttpInfo("acme", full, "orders-full-1");
        assertEquals(syncId, replayed.getData().getSyncId());
        assertEquals("true", header(replayed, "Idempotent-Replayed"));

        // Polled to completion: three records in, one refused.
        SyncRun done = awaitFinished(sync, syncId);
        assertEquals(RunStatus.COMPLETED_WITH_ERRORS, done.getStatus(), done.toString());
        assertEquals(3L, done.getRecords().getNew());

        RecordPage page = records.listRecords("acme", "orders", "items", 100, null, null, null, null);
        assertEquals(List.of("order-1", "order-2", "order-3"),
                page.getItems().stream().map(r -> r.getExternalId()).toList());
        assertEquals(null, page.getNextCursor());

        // The refused record is listed; once fixed at the source, one retry brings it in.
        List<FailedRecord> failed = sync.listFailures("acme", "orders", "items", null, null).getItems();
        assertEquals(List.of("bad-1"), failed.stream().map(FailedRecord::getExternalId).toList());
        orders.put("items", "bad-1", Map.of("name", "fixed at the source"));
        ApiResponse<RetryResult> retry = sync.retryFailureWithHttpInfo("acme", failed.get(0).getId());
        assertEquals(202, retry.getStatusCode());
        assertEquals(1, retry.getData().getQueued());
        assertEquals(RunStatus.COMPLETED, awaitFinished(sync, retry.getData().getSyncId()).getStatus());
        assertEquals(4, records.listRecords("acme", "orders", "items", 100, null, null, null, null).getItems().size());

        // Cancel: a run waiting for the running one is cancelled at once (200), the running one at its next
        // page (202); the waiting one is run again.
        apps.createApp("acme", ordersApp("slow", slow).putConfigItem("pagination", Map.of("style", "offset", "page_size", 1)));
        slow.delay(Duration.ofMillis(500));
        SyncTrigger slowFull = new SyncTrigger().appKey("slow").mode(SyncTrigger.ModeEnum.FULL);
        UUID running = sync.triggerSync("acme", slowFull, null).getSyncId();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                sync.getSyncRun("acme", running).getStatus() == RunStatus.RUNNING);
        UUID waiting = sync.triggerSync("acme", slowFull, null).getSyncId();
        ApiResponse<SyncRun> cancelledAtOnce = sync.cancelSyncRunWithHttpInfo("acme", waiting);
        assertEquals(200, cancelledAtOnce.getStatusCode());
        assertEquals(RunStatus.CANCELLED, cancelledAtOnce.getData().getStatus());
        ApiResponse<SyncRun> stopping = sync.cancelSyncRunWithHttpInfo("acme", running);
        assertEquals(202, stopping.getStatusCode());
        assertEquals(RunStatus.CANCELLED, awaitFinished(sync, running).getStatus());
        slow.delay(Duration.ZERO);
        ApiResponse<QueuedRun> rerun = sync.rerunSyncRunWithHttpInfo("acme", waiting);
        assertEquals(202, rerun.getStatusCode());
        assertEquals(RunStatus.COMPLETED, awaitFinished(sync, rerun.getData().getSyncId()).getStatus());

        // Deleted, the app is gone: typed problems for a 404, a 409 and a 422.
        assertEquals(204, apps.deleteAppWithHttpInfo("acme", "slow").getStatusCode());
        assertProblem(404, "not_found", () -> apps.getApp("acme", "slow"));
        assertProblem(409, "app_exists", () -> apps.createApp("acme", ordersApp("orders", orders)));
        assertProblem(422, "idempotency_key_reused", () -> sync.triggerSync("acme",
                new SyncTrigger().appKey("orders").mode(SyncTrigger.ModeEnum.INCREMENTAL), "orders-full-1"));

        proxy.assertAllValid();
        assertTrue(proxy.exchanges().stream().map(ValidatingProxy.Exchange::status).collect(Collectors.toSet())
                .containsAll(Set.of(200, 201, 202, 204, 404, 409, 422)), proxy.exchanges().toString());
    }

    @Test
    void theTypeScriptSdkCreatesAnAppTriggersPollsAndReadsRecords() throws Exception {
        AdminApi admin = new AdminApi(client(ADMIN_KEY));
        admin.createTenant(new TenantCreate().id("acme-ts").name("Acme, through TypeScript"));
        String key = admin.createApiKey("acme-ts", new ApiKeyCreate().name("ts")
                .roles(List.of(ApiKeyCreate.RolesEnum.SYNC_ADMIN))).getKey();
        Path smoke = Path.of(System.getProperty("tributary.sdk-typescript.package", "sdk-typescript/target/sdk"),
                "dist", "test", "smoke.js");
        assertTrue(Files.exists(smoke), smoke + " is built by openapi/sdk-typescript");
        Path output = Files.createTempFile("sdk-typescript-smoke", ".log");
        var node = new ProcessBuilder("node", smoke.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        node.environment().putAll(Map.of("TRIBUTARY_URL", proxy.uri().toString(), "TRIBUTARY_API_KEY", key,
                "TRIBUTARY_TENANT", "acme-ts", "SOURCE_URL", smokeSource.baseUri().toString()));
        Process process = node.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the smoke flow did not end");
        assertEquals(0, process.exitValue(), Files.readString(output));
        proxy.assertAllValid();
    }

    private ApiClient client(String bearer) {
        URI uri = proxy.uri();
        return new ApiClient().setHost(uri.getHost()).setPort(uri.getPort())
                .setRequestInterceptor(request -> request.header("Authorization", "Bearer " + bearer));
    }

    private static AppCreate ordersApp(String appKey, FakeSaasServer source) {
        return new AppCreate().appKey(appKey).connector("http-json").name("Orders API")
                .config(new java.util.HashMap<>(Map.of("base_url", source.baseUri().toString(),
                        "auth", Map.of("type", "bearer"), "updated_at_field", "updated_at",
                        "collections", List.of(Map.of("collection_key", "items", "path", "items")))))
                .credentials(Map.of("token", "source-token"));
    }

    private static SyncRun awaitFinished(SyncApi sync, UUID syncId) {
        SyncRun[] run = new SyncRun[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            run[0] = sync.getSyncRun("acme", syncId);
            return FINISHED.contains(run[0].getStatus());
        });
        return run[0];
    }

    private static void assertProblem(int status, String code, Executable call) throws JsonProcessingException {
        ApiException e = assertThrows(ApiException.class, call);
        assertEquals(status, e.getCode(), e.getResponseBody());
        Problem problem = new JSON().getMapper().readValue(e.getResponseBody(), Problem.class);
        assertEquals(status, problem.getStatus());
        assertEquals(code, problem.getCode());
        assertTrue(problem.getRequestId() != null && !problem.getRequestId().isEmpty(), e.getResponseBody());
    }

    private static String header(ApiResponse<?> response, String name) {
        return response.getHeaders().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(h -> h.getValue().get(0)).findFirst().orElse(null);
    }
}
