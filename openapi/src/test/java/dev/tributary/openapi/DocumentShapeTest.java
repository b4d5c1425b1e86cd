package dev.tributary.openapi;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client must be able to trust in the committed document, checked across every operation and schema so
 * that a new endpoint cannot leave it out: names as on the wire, no internal types, the credentials and the tenant
 * header, one real success status, a Problem on every error, the headers the service sends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("unchecked")
class DocumentShapeTest {

    static final Pattern SNAKE_CASE = Pattern.compile("^[a-z][a-z0-9]*(_[a-z0-9]+)*$");
    static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private Map<String, Object> document;

    record Operation(String method, String path, Map<String, Object> body) {
        String id() {
            return (String) body.get("operationId");
        }

        Map<String, Map<String, Object>> responses() {
            return (Map<String, Map<String, Object>>) body.get("responses");
        }

        List<Map<String, Object>> parameters() {
            return (List<Map<String, Object>>) body.getOrDefault("parameters", List.of());
        }

        @Override
        public String toString() {
            return method.toUpperCase() + " " + path;
        }
    }

    @BeforeAll
    void read() throws IOException {
        document = new Yaml().load(Files.readString(PackagedService.committedDocument()));
    }

    private List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        ((Map<String, Map<String, Object>>) document.get("paths")).forEach((path, item) -> item.forEach((method, op) -> {
            if (HTTP_METHODS.contains(method)) {
                operations.add(new Operation(method, path, (Map<String, Object>) op));
            }
        }));
        return operations;
    }

    private Map<String, Map<String, Object>> schemas() {
        return (Map<String, Map<String, Object>>) ((Map<String, Object>) document.get("components")).get("schemas");
    }

    @Test
    void infoHasTheBuildsVersionALicenseWithItsUrlAndServers() {
        assertTrue(((String) document.get("openapi")).startsWith("3.0."), "an OpenAPI 3.0 document");
        var info = (Map<String, Object>) document.get("info");
        assertFalse(((String) info.get("version")).contains("${"), "the version is the build's: " + info);
        assertTrue(((Map<String, Object>) info.get("license")).get("url") != null, "a license with its URL");
        assertFalse(((List<?>) document.get("servers")).isEmpty());
    }

    @Test
    void theOperationsClientsCallAreAllThereUnderStableIds() {
        Set<String> ids = new TreeSet<>();
        operations().forEach(op -> assertTrue(ids.add(op.id()), "operationId used twice: " + op.id()));
        assertTrue(ids.containsAll(Set.of("listApps", "getApp", "createApp", "updateApp", "deleteApp",
                "listConnectors", "triggerSync", "listSyncRuns", "getSyncRun", "cancelSyncRun", "rerunSyncRun",
                "listFailures", "retryFailures", "retryFailure", "listRecords", "createTenant", "listTenants",
                "getTenant", "disableTenant", "enableTenant", "createApiKey", "listApiKeys", "revokeApiKey",
                "receiveWebhook")), ids.toString());
        for (Operation op : operations()) {
            assertTrue(op.id().matches("^[a-z][A-Za-z]+$"), "a meaningful operationId: " + op);
            assertEquals(1, ((List<?>) op.body().get("tags")).size(), "one tag: " + op);
            for (String text : List.of("summary", "description")) {
                assertTrue(op.body().get(text) instanceof String s && !s.isBlank(), text + ": " + op);
            }
        }
    }

    @Test
    void eachPartHasItsCredentialAndEveryApiOperationTheTenantHeader() {
        for (Operation op : operations()) {
            Object security = op.body().get("security");
            if (op.path().startsWith("/api/")) {
                assertEquals(List.of(Map.of("tenantToken", List.of())), security, op.toString());
                assertTrue(op.parameters().stream().anyMatch(p -> "X-Tenant-ID".equals(p.get("name"))
                        && "header".equals(p.get("in")) && Boolean.TRUE.equals(p.get("required"))), "X-Tenant-ID: " + op);
            } else if (op.path().startsWith("/admin/")) {
                assertEquals(List.of(Map.of("adminKey", List.of())), security, op.toString());
            } else {
                assertTrue(op.path().startsWith("/webhooks/"), op.toString());
                assertEquals(List.of(), security, "a webhook takes no bearer: " + op);
                assertEquals(true, op.body().get("x-internal"), "left out of the SDKs: " + op);
            }
        }
    }

    @Test
    void everyOperationHasOneRealSuccessAndAProblemOnEveryError() {
        for (Operation op : operations()) {
            Set<String> successes = new TreeSet<>();
            op.responses().forEach((status, response) -> {
                var headers = (Map<String, Map<String, Object>>) response.getOrDefault("headers", Map.of());
                assertEquals(true, headers.getOrDefault("X-Request-ID", Map.of()).get("required"),
                        "X-Request-ID on " + status + " of " + op);
                if (status.startsWith("2")) {
                    successes.add(status);
                } else {
                    assertTrue(status.matches("^[45]\\d\\d$"), status + " of " + op);
                    var content = (Map<String, Map<String, Object>>) response.get("content");
                    assertEquals(Set.of("application/problem+json"), content.keySet(), status + " of " + op);
                    assertEquals(Map.of("$ref", "#/components/schemas/Problem"),
                            content.get("application/problem+json").get("schema"), status + " of " + op);
                }
                if (status.equals("429")) {
                    assertEquals(true, headers.get("Retry-After").get("required"), "Retry-After on 429 of " + op);
                }
            });
            assertEquals(op.id().equals("cancelSyncRun") ? Set.of("200", "202") : 1, op.id().equals("cancelSyncRun")
                    ? successes : successes.size(), "success statuses of " + op + ": " + successes);
            assertTrue(op.responses().keySet().containsAll(Set.of("400", "500", "503")), op.toString());
            if (!op.path().startsWith("/webhooks/")) {
                assertTrue(op.responses().containsKey("401"), "401 on " + op);
            }
        }
    }

    @Test
    void creationsQueuedWorkAndDeletionsAnswerTheirStatusesAndHeaders() {
        Map<String, Operation> byId = new java.util.HashMap<>();
        operations().forEach(op -> byId.put(op.id(), op));
        for (String id : List.of("createApp", "createTenant", "createApiKey")) {
            assertEquals(true, header(byId.get(id), "201", "Location").get("required"), id);
        }
        for (String id : List.of("triggerSync", "rerunSyncRun")) {
            assertEquals(true, header(byId.get(id), "202", "Location").get("required"), id);
        }
        assertTrue(header(byId.get("triggerSync"), "202", "Idempotent-Replayed") != null);
        assertTrue(byId.get("triggerSync").parameters().stream().anyMatch(p -> "Idempotency-Key".equals(p.get("name"))));
        assertTrue(byId.get("deleteApp").responses().containsKey("204"));
        var status = byId.get("listSyncRuns").parameters().stream().filter(p -> "status".equals(p.get("name")))
                .findFirst().orElseThrow();
        assertEquals(schemas().get("RunStatus").get("enum"), ((Map<String, Object>) status.get("schema")).get("enum"),
                "listSyncRuns filters by the statuses a run has");
        assertTrue(byId.get("triggerSync").responses().containsKey("422"));
    }

    @Test
    void schemasNameMembersAsOnTheWireAndShowNoInternalTypes() {
        for (String internal : List.of("CallerTenant", "Principal", "TenantId", "Role")) {
            assertFalse(schemas().containsKey(internal), internal + " is not part of the API");
        }
        operations().forEach(op -> op.parameters().forEach(p ->
                assertFalse("caller".equals(p.get("name")), "no caller parameter: " + op)));
        assertTrue(schemas().keySet().containsAll(Set.of("Tenant", "ApiKey", "IssuedApiKey", "App", "AppCreate",
                "AppUpdate", "Connector", "SyncRun", "SyncRunPage", "QueuedRun", "FailedRecord", "Record",
                "Problem")), schemas().keySet().toString());
        schemas().forEach((name, schema) -> {
            assertTrue(name.matches("^[A-Z][A-Za-z]+$"), "a clean schema name: " + name);
            walk(schema, (path, node) -> {
                if (node.get("properties") instanceof Map<?, ?> properties) {
                    properties.keySet().forEach(property -> assertTrue(SNAKE_CASE.matcher((String) property).matches(),
                            name + path + "." + property + " is not snake_case"));
                }
                assertFalse(node.containsKey("allOf") && node.containsKey("nullable"),
                        "nullable beside allOf at " + name + path);
            }, "");
        });
    }

    @Test
    void secretsAreWriteOnlyAndFreeFormObjectsSaySo() {
        for (String schema : List.of("AppCreate", "AppUpdate")) {
            assertEquals(true, property(schema, "credentials").get("writeOnly"), schema);
            assertEquals(true, property(schema, "config").get("additionalProperties"), schema);
        }
        assertEquals(true, property("Alerts", "webhook_secret").get("writeOnly"));
        assertEquals(true, property("App", "config").get("additionalProperties"));
        assertEquals(List.of("app_key", "connector", "name"), new ArrayList<>(new TreeSet<>(
                (List<String>) schemas().get("AppCreate").get("required"))));
        assertEquals("^[A-Za-z0-9_-]{1,64}$", property("AppCreate", "app_key").get("pattern"));
    }

    private Map<String, Object> property(String schema, String property) {
        return ((Map<String, Map<String, Object>>) schemas().get(schema).get("properties")).get(property);
    }

    private static Map<String, Object> header(Operation op, String status, String header) {
        var headers = (Map<String, Map<String, Object>>) op.responses().get(status).getOrDefault("headers", Map.of());
        return headers.get(header);
    }

    private static void walk(Object node, BiConsumer<String, Map<String, Object>> visit, String path) {
        if (node instanceof Map<?, ?> map) {
            visit.accept(path, (Map<String, Object>) map);
            map.forEach((key, value) -> walk(value, visit, path + "/" + key));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), visit, path + "/" + i);
            }
        }
    }
}
