package dev.tributary.api;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A black-box client with a broad corpus of malformed input against every endpoint, over real sockets
 * (the JDK's HTTP client for bodies, a raw {@link java.net.Socket} for bytes no client sends). Every
 * answer must be below 500; every refusal an {@code application/problem+json} document with
 * {@code code} and {@code request_id}, leaving the database exactly as it was (apps, tenants, keys,
 * runs, triggers, idempotency keys, webhook events, entities); where the corpus knows the field at
 * fault, the refusal must name it. Failures are collected and reported together, case by case.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedInputTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-malformed-input-01";
    static final String JWT_SECRET = "jwt-secret-for-malformed-input-tests-0123";
    static final String STRIPE_SECRET = "whsec_malformed";
    static final String INTERCOM_SECRET = "intercom-client-secret-malformed";
    static final String LONG = "x".repeat(10_000);

    /** Everything a request could change, as one text: counts, and digests of the rows a PATCH or disable would touch. */
    static final String STATE = "SELECT concat_ws('|',"
            + " (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY id), '')) FROM tributary.tenants t),"
            + " (SELECT md5(coalesce(string_agg(concat_ws(',', id, tenant_id, name, roles::text, revoked_at), ';'"
            + "   ORDER BY id), '')) FROM tributary.api_keys),"
            + " (SELECT md5(coalesce(string_agg(a::text, ',' ORDER BY tenant_id, app_key), '')) FROM tributary.apps a),"
            + " (SELECT count(*) FROM tributary.sync_runs), (SELECT count(*) FROM tributary.sync_records),"
            + " (SELECT count(*) FROM tributary.idempotency_keys), (SELECT count(*) FROM tributary.webhook_events),"
            + " (SELECT count(*) FROM tributary.entities), (SELECT count(*) FROM tributary.qrtz_triggers),"
            + " (SELECT count(*) FROM tributary.qrtz_job_details), (SELECT count(*) FROM tributary.sync_list_items))";

    @Inject
    EmbeddedServer server;

    private TestDatabase database;
    private Connection administrator;
    private RawHttp raw;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private List<String> tenant;
    private List<String> operator;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.freshDatabase();
        // No worker: nothing runs what the corpus manages to queue, the database only changes by the requests themselves.
        return ServiceSettings.of(database, ADMIN_KEY).jwtSecret(JWT_SECRET).noWorker().unlimitedRates().localSources()
                .properties();
    }

    @BeforeAll
    void tenantKeysAndApps() throws SQLException {
        administrator = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
        raw = new RawHttp(server.getURI());
        var http = new HttpProbe(server.getURI());
        http.createTenant(ADMIN_KEY, "acme");
        http.createTenant(ADMIN_KEY, "globex");
        String key = http.createApiKey(ADMIN_KEY, "acme", "sync:admin");
        tenant = List.of("Authorization: Bearer " + key, "X-Tenant-ID: acme");
        operator = List.of("Authorization: Bearer " + ADMIN_KEY);
        for (String app : List.of(app("shop"),
                "{\"app_key\": \"billing\", \"connector\": \"stripe\", \"name\": \"Billing\", \"config\": {},"
                        + " \"credentials\": {\"api_key\": \"sk_test_x\", \"webhook_secret\": \"" + STRIPE_SECRET + "\"}}",
                "{\"app_key\": \"chat\", \"connector\": \"intercom\", \"name\": \"Chat\", \"config\": {},"
                        + " \"credentials\": {\"access_token\": \"tok\", \"client_secret\": \"" + INTERCOM_SECRET + "\"}}")) {
            var created = http.send("POST", "/api/apps", app, "Authorization", "Bearer " + key, "X-Tenant-ID", "acme",
                    "Content-Type", "application/json");
            assertEquals(201, created.statusCode(), created.body());
        }
    }

    @AfterAll
    void close() throws SQLException {
        administrator.close();
    }

    private static String app(String appKey) {
        return "{\"app_key\": \"" + appKey + "\", \"connector\": \"http-json\", \"name\": \"Shop\", \"config\":"
                + " {\"base_url\": \"http://127.0.0.1:9/\", \"auth\": {\"type\": \"bearer\"}, \"collections\":"
                + " [{\"collection_key\": \"items\", \"path\": \"items\"}, {\"collection_key\": \"users\", \"path\": \"users\"}]},"
                + " \"credentials\": {\"token\": \"tok\"}}";
    }

    // --- the corpus runner -------------------------------------------------------------------

    /** What a case must do: be refused (4xx), optionally with this status, code and field; or anything but a 5xx. */
    record Expect(boolean refused, int status, String code, String field) {
        static final Expect ANY = new Expect(false, 0, null, null);
        static final Expect REFUSED = new Expect(true, 0, null, null);

        static Expect refused(int status, String code, String field) {
            return new Expect(true, status, code, field);
        }

        static Expect field(String field) {
            return new Expect(true, 400, "invalid_request", field);
        }
    }

    /** One request: through the JDK client unless {@code raw}, when it goes byte for byte over a socket. */
    record Call(String label, String method, String target, List<String> headers, byte[] body, boolean raw) {
    }

    private static Call call(String method, String target, List<String> headers, String body) {
        return new Call(method + " " + target + " " + abbreviate(body), method, target, headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), false);
    }

    private static Call rawCall(String label, String method, String target, List<String> headers, byte[] body) {
        return new Call(label, method, target, headers, body, true);
    }

    private static List<String> with(List<String> headers, String... more) {
        List<String> all = new ArrayList<>(headers);
        all.addAll(List.of(more));
        return all;
    }

    private static List<String> json(List<String> headers) {
        return with(headers, "Content-Type: application/json");
    }

    /** Runs cases one after another, comparing the database around each, and keeps every failure. */
    private final class Corpus {
        private final List<String> failures = new ArrayList<>();
        private int cases;
        private String state = state();

        void check(Call call, Expect expect) {
            check(call.label(), call.method(), () -> send(call), expect);
        }

        /** Sends exactly these bytes: request lines no client would write. */
        void checkBytes(String label, byte[] request, Expect expect) {
            check(label, "GET", () -> raw.exchange(request), expect);
        }

        private void check(String label, String method, java.util.function.Supplier<RawHttp.Answer> exchange, Expect expect) {
            cases++;
            RawHttp.Answer answer;
            try {
                answer = exchange.get();
            } catch (RuntimeException e) {
                failures.add(label + " → no answer: " + e);
                return;
            }
            String problem = verdict(method, expect, answer);
            String now = state();
            if (problem == null && (expect.refused() || answer.status() >= 400) && !now.equals(state)) {
                problem = "the refusal changed the database";
            }
            state = now;
            if (problem != null) {
                failures.add(label + " → " + answer.status() + " " + abbreviate(answer.text()) + ": " + problem);
            }
        }

        void assertNoFailures() {
            assertTrue(cases > 0);
            assertTrue(failures.isEmpty(), failures.size() + " of " + cases + " cases failed:\n"
                    + String.join("\n", failures.subList(0, Math.min(60, failures.size()))));
        }
    }

    private String state() {
        try (var statement = administrator.createStatement(); var rs = statement.executeQuery(STATE)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private RawHttp.Answer send(Call call) {
        if (call.raw()) {
            return raw.send(call.method(), call.target(), call.headers(), call.body());
        }
        var request = HttpRequest.newBuilder(URI.create(server.getURI() + call.target())).timeout(Duration.ofSeconds(30))
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        for (String header : call.headers()) {
            int colon = header.indexOf(':');
            request.header(header.substring(0, colon), header.substring(colon + 1).strip());
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            return new RawHttp.Answer(response.statusCode(), headers, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What is wrong with an answer, or null. */
    private static String verdict(String method, Expect expect, RawHttp.Answer answer) {
        if (answer.status() == 0) {
            return "no HTTP answer";
        }
        if (answer.status() >= 500) {
            return "a server error";
        }
        if (expect.refused() && answer.status() < 400) {
            return "accepted, but should have been refused";
        }
        if (expect.status() != 0 && answer.status() != expect.status()) {
            return "expected status " + expect.status();
        }
        if (answer.status() < 400 || "HEAD".equals(method)) {
            return null;
        }
        if (!String.valueOf(answer.header("Content-Type")).startsWith("application/problem+json")) {
            return "not a problem document (" + answer.header("Content-Type") + ")";
        }
        Map<String, Object> problem;
        try {
            problem = HttpProbe.json(answer.text());
        } catch (RuntimeException e) {
            return "a problem document that is not JSON";
        }
        if (!(problem.get("code") instanceof String code) || code.isBlank()) {
            return "no code";
        }
        if (!("urn:tributary:problem:" + code).equals(problem.get("type")) || !(problem.get("title") instanceof String)
                || !(problem.get("detail") instanceof String)) {
            return "no type, title or detail";
        }
        if (!(problem.get("status") instanceof Number status) || status.intValue() != answer.status()) {
            return "status member differs from the HTTP status";
        }
        if (problem.get("request_id") == null || !problem.get("request_id").equals(answer.header("X-Request-ID"))) {
            return "request_id missing or not the X-Request-ID header";
        }
        String text = answer.text();
        if (text.contains("io.micronaut") || text.contains("io.netty") || text.contains("java.lang")
                || text.contains("Exception")) {
            return "names framework classes";
        }
        if (expect.code() != null && !expect.code().equals(code)) {
            return "expected code " + expect.code();
        }
        if (expect.field() != null) {
            if (!(problem.get("errors") instanceof List<?> errors) || errors.isEmpty()
                    || !expect.field().equals(((Map<?, ?>) errors.get(0)).get("field"))) {
                return "expected errors[0].field " + expect.field();
            }
        }
        return null;
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replace("\n", "\\n").replace("\r", "\\r").replace("\u0000", "\\0");
        return flat.length() > 160 ? flat.substring(0, 160) + "…(" + flat.length() + ")" : flat;
    }

    // --- the body endpoints and their members ----------------------------------------------------

    enum Kind { STRING, TIME, CRON, BOOLEAN, INTEGER, STRINGS, IDS, STRING_MAP, ANY_MAP, OBJECT }

    /** A member of a body: its path and kind (an {@code OBJECT} is known by its members' paths). */
    record Member(String path, Kind kind) {
    }

    /** A body endpoint: a valid body to mutate, member by member. */
    record Endpoint(String method, String path, boolean operator, String base, List<Member> members, boolean emptyBodyIsValid) {
    }

    private static final List<Member> APP_MEMBERS = List.of(new Member("app_key", Kind.STRING),
            new Member("connector", Kind.STRING), new Member("name", Kind.STRING), new Member("config", Kind.ANY_MAP),
            new Member("credentials", Kind.STRING_MAP), new Member("sync_from", Kind.TIME),
            new Member("schedule", Kind.OBJECT), new Member("schedule.cron", Kind.CRON),
            new Member("schedule.timezone", Kind.STRING), new Member("schedule.mode", Kind.STRING),
            new Member("schedule.enabled", Kind.BOOLEAN), new Member("retry_policy", Kind.OBJECT),
            new Member("retry_policy.max_attempts", Kind.INTEGER), new Member("alerts", Kind.OBJECT),
            new Member("alerts.webhook_url", Kind.STRING), new Member("alerts.emails", Kind.STRINGS),
            new Member("alerts.webhook_secret", Kind.STRING));

    /** A sync list item's id that names no item. */
    private static final String UNLISTED_ITEM = "6f0e1a4c-0000-4000-8000-000000000001";

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/apps", false, app("fuzzed"), APP_MEMBERS, false),
            new Endpoint("PATCH", "/api/apps/shop", false, "{}", APP_MEMBERS, false),
            new Endpoint("POST", "/api/sync", false, "{\"app_key\": \"shop\", \"collection\": \"items\"}", List.of(
                    new Member("app_key", Kind.STRING), new Member("collection", Kind.STRING),
                    new Member("mode", Kind.STRING), new Member("dry_run", Kind.BOOLEAN),
                    new Member("force_deletions", Kind.BOOLEAN), new Member("filters", Kind.OBJECT),
                    new Member("filters.status", Kind.STRINGS), new Member("filters.date_range", Kind.OBJECT),
                    new Member("filters.date_range.start", Kind.TIME), new Member("filters.date_range.end", Kind.TIME),
                    new Member("ids", Kind.STRINGS), new Member("idempotency_key", Kind.STRING)), false),
            new Endpoint("POST", "/api/sync/retry", false, "{\"app_key\": \"shop\"}", List.of(
                    new Member("app_key", Kind.STRING), new Member("collection", Kind.STRING),
                    new Member("record_ids", Kind.IDS)), true),
            new Endpoint("POST", "/api/sync-list", false, "{\"source_app_key\": \"shop\", \"collection\": \"items\","
                    + " \"source_id\": \"i-1\", \"target_app_key\": \"chat\"}", List.of(
                    new Member("source_app_key", Kind.STRING), new Member("collection", Kind.STRING),
                    new Member("source_id", Kind.STRING), new Member("target_app_key", Kind.STRING),
                    new Member("target_collection", Kind.STRING), new Member("sync_mode", Kind.STRING),
                    new Member("active", Kind.BOOLEAN), new Member("push_on_change", Kind.BOOLEAN),
                    new Member("field_mapping", Kind.ANY_MAP), new Member("metadata", Kind.ANY_MAP),
                    new Member("saved_filter_id", Kind.STRING)), false),
            new Endpoint("PATCH", "/api/sync-list/" + UNLISTED_ITEM, false, "{}", List.of(
                    new Member("sync_mode", Kind.STRING), new Member("active", Kind.BOOLEAN),
                    new Member("push_on_change", Kind.BOOLEAN), new Member("field_mapping", Kind.ANY_MAP),
                    new Member("metadata", Kind.ANY_MAP)), false),
            new Endpoint("POST", "/api/sync-list/delta-sync", false, "{}", List.of(
                    new Member("sync_list_ids", Kind.STRINGS), new Member("collection", Kind.STRING),
                    new Member("target_app_key", Kind.STRING), new Member("idempotency_key", Kind.STRING)), false),
            new Endpoint("POST", "/admin/tenants", true, "{\"id\": \"fuzzed\", \"name\": \"Fuzzed\"}", List.of(
                    new Member("id", Kind.STRING), new Member("name", Kind.STRING)), false),
            new Endpoint("POST", "/admin/tenants/acme/api-keys", true, "{\"name\": \"k\", \"roles\": [\"sync:read\"]}",
                    List.of(new Member("name", Kind.STRING), new Member("roles", Kind.STRINGS)), false));

    private List<String> auth(Endpoint endpoint) {
        return endpoint.operator() ? operator : tenant;
    }

    /** {@code base} (a JSON object) with the member at {@code path} set to {@code value} (raw JSON text). */
    private static String set(String base, String path, String value) {
        Map<String, Object> tree = parse(base);
        String[] parts = path.split("\\.");
        Map<String, Object> at = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> next = at.get(parts[i]) instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
            at.put(parts[i], next);
            at = next;
        }
        at.put(parts[parts.length - 1], new RawJson(value));
        return render(tree);
    }

    /** JSON text kept as it is, for values no Java type carries (1e999999, twenty-digit integers, lone surrogates). */
    record RawJson(String text) {
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        Map<String, Object> tree = new LinkedHashMap<>();
        HttpProbe.json(json).forEach((k, v) -> tree.put(k, v instanceof Map<?, ?> m ? parse(render((Map<String, Object>) m))
                : new RawJson(render(v))));
        return tree;
    }

    @SuppressWarnings("unchecked")
    private static String render(Object value) {
        if (value instanceof RawJson rawJson) {
            return rawJson.text();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            ((Map<String, Object>) map).forEach((k, v) -> out.append(out.length() > 1 ? ", " : "")
                    .append('"').append(k).append("\": ").append(render(v)));
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            return "[" + String.join(", ", list.stream().map(MalformedInputTest::render).toList()) + "]";
        }
        if (value instanceof String text) {
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return String.valueOf(value);
    }

    /** Values of the wrong type for a kind, each with the path suffix a refusal must name ("" or "[0]", ".k"). */
    private static List<String[]> wrongTypes(Kind kind) {
        List<String[]> wrong = new ArrayList<>();
        switch (kind) {
            case STRING, TIME, CRON -> List.of("true", "false", "0", "1", "-1.5", "1e3", "99999999999999999999", "[]",
                    "[\"x\"]", "{}", "{\"a\": \"x\"}").forEach(v -> wrong.add(new String[]{v, ""}));
            case BOOLEAN -> List.of("\"true\"", "\"false\"", "\"yes\"", "\"\"", "0", "1", "1.0", "[true]", "{}")
                    .forEach(v -> wrong.add(new String[]{v, ""}));
            case INTEGER -> List.of("\"3\"", "1.5", "3.0", "1e1", "-0.0", "true", "[3]", "{}", "99999999999999999999",
                    "2147483648", "-2147483649", "1e999999").forEach(v -> wrong.add(new String[]{v, ""}));
            case STRINGS -> {
                List.of("\"x\"", "1", "true", "{}").forEach(v -> wrong.add(new String[]{v, ""}));
                List.of("[1]", "[true]", "[null]", "[[]]", "[{}]", "[1.5]").forEach(v -> wrong.add(new String[]{v, "[0]"}));
                wrong.add(new String[]{"[\"ok\", 2]", "[1]"});
            }
            case IDS -> {
                List.of("\"1\"", "1", "true", "{}").forEach(v -> wrong.add(new String[]{v, ""}));
                List.of("[1.5]", "[\"1\"]", "[true]", "[null]", "[99999999999999999999]", "[[1]]", "[1e2]")
                        .forEach(v -> wrong.add(new String[]{v, "[0]"}));
            }
            case STRING_MAP -> {
                List.of("\"x\"", "[]", "1", "true").forEach(v -> wrong.add(new String[]{v, ""}));
                List.of("{\"k\": 1}", "{\"k\": true}", "{\"k\": null}", "{\"k\": [\"v\"]}", "{\"k\": {}}")
                        .forEach(v -> wrong.add(new String[]{v, ".k"}));
            }
            case ANY_MAP -> List.of("\"x\"", "[]", "1", "true", "[{}]").forEach(v -> wrong.add(new String[]{v, ""}));
            case OBJECT -> List.of("\"x\"", "1", "[]", "true", "[{}]").forEach(v -> wrong.add(new String[]{v, ""}));
        }
        return wrong;
    }

    /** Text the database cannot hold, as JSON string escapes: refused naming the member. */
    private static final List<String> UNSTORABLE = List.of("\"a\\u0000b\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\"",
            "\"x\\ud83d\"", "\"\\ude00\\ud83d\"");

    /** Well-typed odd values: whatever the endpoint makes of them, never a 5xx, and a refusal changes nothing. */
    private static List<String> oddValues(Kind kind) {
        return switch (kind) {
            case STRING, CRON -> List.of("null", "\"\"", "\" \"", "\"😀\"", "\"" + LONG + "\"", "\"\\n\\t\"",
                    "\"'; DROP TABLE tributary.apps; --\"", "\"../../etc/passwd\"", "\"%00\"", "\"\\u202e\"",
                    "\"é\"", "\"\\ud83d\\ude00\"", "\"* * * * *\"", "\"*/0 * * * *\"", "\"@yearly\"", "\"61 * * * *\"",
                    "\"0 0 29 2 *\"", "\"Mars/Olympus\"", "\"+05:00\"", "\"full\"", "\"sync:admin\"");
            case TIME -> List.of("null", "\"2024-01-01T00:00:00Z\"", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"",
                    "\"2024-01-01T00:00:00.123456789+14:00\"");
            case BOOLEAN -> List.of("null", "true", "false");
            case INTEGER -> List.of("null", "0", "-1", "1", "21", "2147483647", "-2147483648");
            case STRINGS -> List.of("null", "[]", "[\"\"]", "[\"😀\"]", "[\"" + "y\", \"".repeat(1_500) + "z\"]",
                    "[\"sync:read\", \"sync:read\"]", "[\"ops@example.com\"]");
            case IDS -> List.of("null", "[]", "[0]", "[-1]", "[9223372036854775807]", "[1, 1]");
            case STRING_MAP -> List.of("null", "{}", "{\"token\": \"\"}", "{\"\": \"v\"}", "{\"😀\": \"😀\"}");
            case ANY_MAP -> List.of("null", "{}", "{\"base_url\": null}", "{\"a\": " + "[".repeat(60) + "]".repeat(60) + "}",
                    "{\"a\": 99999999999999999999999999999999}", "{\"a\": -0.0}", "{\"a\": 1e308}", "{\"a\": \"😀\"}");
            case OBJECT -> List.of("null", "{}");
        };
    }

    // --- the tests ---------------------------------------------------------------------------

    @Test
    void everyBodyEndpointRefusesWhatIsNotOneStrictJsonObjectAndChangesNothing() {
        var corpus = new Corpus();
        for (Endpoint endpoint : ENDPOINTS) {
            List<String> headers = json(auth(endpoint));
            // Top-level values other than an object.
            for (String body : List.of("null", "[]", "[{}]", "[null]", "1", "0", "-1.5", "1e999", "\"x\"", "\"\"", "true",
                    "false", "[" + endpoint.base() + "]")) {
                corpus.check(call(endpoint.method(), endpoint.path(), headers, body), Expect.refused(400, "invalid_request", null));
            }
            // Not JSON, or more than one document.
            for (String body : List.of("{", "}", "]", "{\"a\"", "{\"a\":", "{\"a\":}", "{\"a\":1,}", "{,}", "[1,]",
                    "{'a':1}", "{a:1}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":-Infinity}", "{\"a\":01}", "{\"a\":1.}",
                    "{\"a\":.5}", "{\"a\":1e}", "{\"a\":+1}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12G4\"}",
                    "{\"a\":\"\\", "{\"a\":\"unterminated}", "{\"a\":\"tab\there\"}", "{\"a\":\"\u0001\"}",
                    "{\"app_key\":\"a\u0000b\"}", "/* c */{}", "{} // c", "{}{}", endpoint.base() + endpoint.base(),
                    endpoint.base() + " x", endpoint.base() + "\u0000", endpoint.base() + " ]", "tru", "nul", "{\"a\":tru}",
                    "\ufeff{}", "{\"a\":[}", "{\"a\" 1}", "{\"a\"::1}", "{\"a\":1 \"b\":2}",
                    endpoint.base().substring(0, endpoint.base().length() - 1), "x" + endpoint.base())) {
                corpus.check(call(endpoint.method(), endpoint.path(), headers, body), Expect.refused(400, "malformed_json", null));
            }
            // Bytes that are not UTF-8: refused, never read with replacement characters.
            for (byte[] bad : List.of(new byte[]{(byte) 0xff}, new byte[]{(byte) 0xc0, (byte) 0x80},
                    new byte[]{(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[]{(byte) 0xe2, (byte) 0x82},
                    new byte[]{(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                    new byte[]{(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[]{(byte) 0x80},
                    new byte[]{(byte) 0xc3})) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                body.writeBytes("{\"name\": \"a".getBytes(StandardCharsets.UTF_8));
                body.writeBytes(bad);
                body.writeBytes("b\"}".getBytes(StandardCharsets.UTF_8));
                corpus.check(new Call(endpoint.method() + " " + endpoint.path() + " invalid UTF-8 " + Arrays.toString(bad),
                        endpoint.method(), endpoint.path(), headers, body.toByteArray(), false),
                        Expect.refused(400, "invalid_encoding", null));
            }
            byte[] utf16 = "{\"name\": \"x\"}".getBytes(StandardCharsets.UTF_16);
            corpus.check(new Call(endpoint.method() + " " + endpoint.path() + " UTF-16", endpoint.method(), endpoint.path(),
                    headers, utf16, false), Expect.refused(400, "invalid_encoding", null));
            // Too deep, too long.
            corpus.check(call(endpoint.method(), endpoint.path(), headers, "[".repeat(100) + "]".repeat(100)),
                    Expect.refused(400, "invalid_request", null));
            corpus.check(call(endpoint.method(), endpoint.path(), headers, "[".repeat(500_000)), Expect.refused(400, null, null));
            corpus.check(call(endpoint.method(), endpoint.path(), headers, "{\"a\": ".repeat(100) + "1" + "}".repeat(100)),
                    Expect.refused(400, "invalid_request", null));
            corpus.check(call(endpoint.method(), endpoint.path(), headers, set(endpoint.base(), "x", "9".repeat(2_000))),
                    Expect.refused(400, "invalid_request", null));
            corpus.check(call(endpoint.method(), endpoint.path(), headers, "{\"pad\": \"" + "x".repeat(1_100_000) + "\"}"),
                    Expect.refused(413, "payload_too_large", null));
            // Members the endpoint does not know, or gives twice.
            corpus.check(call(endpoint.method(), endpoint.path(), headers, set(endpoint.base(), "surprise", "1")),
                    Expect.field("surprise"));
            corpus.check(call(endpoint.method(), endpoint.path(), headers, set(endpoint.base(), "\\u0000", "1")),
                    Expect.refused(400, "invalid_request", null));
            String first = endpoint.members().get(0).path();
            corpus.check(call(endpoint.method(), endpoint.path(), headers, "{\"" + first + "\": \"a\", \"" + first + "\": \"b\"}"),
                    Expect.field(first));
            // Empty and blank bodies.
            for (String body : List.of("", " ", "\r\n", "\t")) {
                corpus.check(call(endpoint.method(), endpoint.path(), headers, body), endpoint.emptyBodyIsValid()
                        ? Expect.ANY : Expect.refused(400, "body_missing", null));
            }
        }
        corpus.assertNoFailures();
    }

    @Test
    void everyMemberRefusesAValueOfTheWrongTypeNamingItAndNothingIsCoerced() {
        var corpus = new Corpus();
        for (Endpoint endpoint : ENDPOINTS) {
            for (Member member : endpoint.members()) {
                for (String[] wrong : wrongTypes(member.kind())) {
                    corpus.check(call(endpoint.method(), endpoint.path(), json(auth(endpoint)),
                            set(endpoint.base(), member.path(), wrong[0])), Expect.field(member.path() + wrong[1]));
                }
                if (member.kind() == Kind.OBJECT) {
                    corpus.check(call(endpoint.method(), endpoint.path(), json(auth(endpoint)),
                            set(endpoint.base(), member.path() + ".surprise", "1")), Expect.field(member.path() + ".surprise"));
                }
            }
        }
        corpus.assertNoFailures();
    }

    @Test
    void textTheDatabaseCannotHoldIsRefusedNamingTheMemberAndOddWellTypedValuesNeverFail() {
        var corpus = new Corpus();
        for (Endpoint endpoint : ENDPOINTS) {
            for (Member member : endpoint.members()) {
                String path = member.path();
                switch (member.kind()) {
                    case STRING, TIME, CRON -> UNSTORABLE.forEach(v -> corpus.check(call(endpoint.method(), endpoint.path(),
                            json(auth(endpoint)), set(endpoint.base(), path, v)), Expect.field(path)));
                    case STRINGS -> UNSTORABLE.forEach(v -> corpus.check(call(endpoint.method(), endpoint.path(),
                            json(auth(endpoint)), set(endpoint.base(), path, "[" + v + "]")), Expect.field(path + "[0]")));
                    case STRING_MAP -> UNSTORABLE.forEach(v -> {
                        corpus.check(call(endpoint.method(), endpoint.path(), json(auth(endpoint)),
                                set(endpoint.base(), path, "{\"k\": " + v + "}")), Expect.field(path + ".k"));
                        corpus.check(call(endpoint.method(), endpoint.path(), json(auth(endpoint)),
                                set(endpoint.base(), path, "{" + v + ": \"v\"}")), Expect.field(path));
                    });
                    case ANY_MAP -> {
                        UNSTORABLE.forEach(v -> {
                            corpus.check(call(endpoint.method(), endpoint.path(), json(auth(endpoint)),
                                    set(endpoint.base(), path, "{\"a\": {\"b\": [1, " + v + "]}}")), Expect.field(path + ".a.b[1]"));
                            corpus.check(call(endpoint.method(), endpoint.path(), json(auth(endpoint)),
                                    set(endpoint.base(), path, "{" + v + ": 1}")), Expect.field(path));
                        });
                        for (String number : List.of("1e999999", "-1e999999", "1e-999999", "1E400")) {
                            corpus.check(call(endpoint.method(), endpoint.path(), json(auth(endpoint)),
                                    set(endpoint.base(), path, "{\"n\": " + number + "}")), Expect.field(path + ".n"));
                        }
                        corpus.check(call(endpoint.method(), endpoint.path(), json(auth(endpoint)),
                                set(endpoint.base(), path, "{\"k\": 1, \"k\": 2}")), Expect.field(path + ".k"));
                    }
                    default -> {
                    }
                }
                for (String odd : oddValues(member.kind())) {
                    corpus.check(call(endpoint.method(), endpoint.path(), json(auth(endpoint)),
                            set(endpoint.base(), path, odd)), Expect.ANY);
                }
            }
        }
        corpus.assertNoFailures();
    }

    @Test
    void timesPostgresqlCannotStoreAndCronsThatNeverFireAreRefusedNamingTheField() {
        var corpus = new Corpus();
        List<String> times = List.of("+999999999-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "-000001-01-01T00:00:00Z",
                "0000-12-31T23:59:59Z", "0001-01-01T00:00:00+01:00", "+10000-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00",
                "+294277-01-01T00:00:00Z", "-4714-11-24T00:00:00Z", "2024-02-30T00:00:00Z", "2024-13-01T00:00:00Z",
                "2024-01-01T25:00:00Z", "2024-01-01T00:00:00", "2024-01-01", "2024-01-01T00:00:00+25:00", "", "now",
                "1700000000", "2024-01-01T00:00:00Z " , "2024-01-01T00:00:00Z\\n");
        for (String time : times) {
            String value = "\"" + time + "\"";
            corpus.check(call("POST", "/api/apps", json(tenant), set(app("timed"), "sync_from", value)), Expect.field("sync_from"));
            corpus.check(call("PATCH", "/api/apps/shop", json(tenant), "{\"sync_from\": " + value + "}"), Expect.field("sync_from"));
            for (String end : List.of("start", "end")) {
                corpus.check(call("POST", "/api/sync", json(tenant), "{\"app_key\": \"shop\", \"filters\": {\"date_range\": {\""
                        + end + "\": " + value + "}}}"), Expect.field("filters.date_range." + end));
            }
        }
        for (String cron : List.of("0 0 31 2 *", "0 0 30 2 *", "0 0 31 4 *", "0 0 31 11 *", "30 6 31 9 *", "0 0 1,15 * 1")) {
            corpus.check(call("POST", "/api/apps", json(tenant), set(app("timed"), "schedule", "{\"cron\": \"" + cron + "\"}")),
                    Expect.field("schedule.cron"));
            corpus.check(call("PATCH", "/api/apps/shop", json(tenant), "{\"schedule\": {\"cron\": \"" + cron
                    + "\", \"timezone\": \"America/Toronto\"}}"), Expect.field("schedule.cron"));
        }
        corpus.assertNoFailures();
    }

    @Test
    void connectorSettingsOutOfTheirRangeAreRefusedNamingTheSetting() {
        var corpus = new Corpus();
        // 2^64 + 200 and 2^64 + 1000 keep only in-range low bits as longs: out of range all the same.
        for (String size : List.of("18446744073709551816", "0", "10001", "1.5", "1e400", "-18446744073709551516")) {
            corpus.check(call("POST", "/api/apps", json(tenant), set(app("ranged"), "config.pagination",
                    "{\"style\": \"offset\", \"page_size\": " + size + "}")), Expect.field("config.pagination.page_size"));
        }
        for (String millis : List.of("18446744073709552616", "99", "1e30")) {
            corpus.check(call("PATCH", "/api/apps/shop", json(tenant), "{\"config\": {\"base_url\": \"http://127.0.0.1:9/\","
                    + " \"collections\": [{\"collection_key\": \"items\", \"path\": \"items\"}], \"connect_timeout_ms\": "
                    + millis + "}}"), Expect.field("config.connect_timeout_ms"));
        }
        corpus.assertNoFailures();
    }

    @Test
    void queryParametersAndPathSegmentsAreRefusedOrNotFoundNeverAServerError() {
        var corpus = new Corpus();
        Map<String, List<String>> lists = Map.of("/api/apps", tenant, "/api/sync/status", tenant, "/api/sync/failures",
                tenant, "/api/sync-list", tenant, "/admin/tenants", operator);
        for (var list : lists.entrySet()) {
            for (String limit : List.of("abc", "-1", "0", "101", "99999999999999999999", "1.5", "1e2", "0x10", "%00",
                    "%E2%88%9E", "-0", "1%00", "%20", "9223372036854775808")) {
                corpus.check(rawCall("limit=" + limit, "GET", list.getKey() + "?limit=" + limit, list.getValue(), null),
                        Expect.field("limit"));
            }
            for (String offset : List.of("abc", "-1", "99999999999999999999", "1.5", "%00", "-9223372036854775808")) {
                corpus.check(rawCall("offset=" + offset, "GET", list.getKey() + "?offset=" + offset, list.getValue(), null),
                        Expect.field("offset"));
            }
            for (String query : List.of("limit=%ZZ", "limit=%", "app_key=%E0%A4%A", "limit=%FF", "limit=1&limit=2",
                    "%00=%00", "limit", "&&&", "=", "limit=" + "9".repeat(5_000), "a[b]=c", "limit=%C0%AF")) {
                corpus.check(rawCall(list.getKey() + "?" + abbreviate(query), "GET", list.getKey() + "?" + query,
                        list.getValue(), null), Expect.ANY);
            }
        }
        for (String target : List.of("/api/sync/status", "/api/sync/failures")) {
            for (String key : List.of("%00", "a%20b", "x".repeat(65), "%F0%9F%98%80", "..%2Fx", "%C3%A9", "a.b")) {
                corpus.check(rawCall(target + " app_key=" + key, "GET", target + "?app_key=" + key, tenant, null),
                        Expect.field("app_key"));
                corpus.check(rawCall(target + " collection=" + key, "GET", target + "?collection=" + key, tenant, null),
                        Expect.field("collection"));
            }
        }
        for (String status : List.of("bogus", "%00", "QUEUED", "queued%00", "completed,failed")) {
            corpus.check(rawCall("status=" + status, "GET", "/api/sync/status?status=" + status, tenant, null),
                    Expect.field("status"));
        }
        List<String> segments = List.of("not-a-uuid", "00000000-0000-0000-0000-000000000000", "1-1-1-1-1", "9".repeat(30),
                "-1", "0", "%00", "%2e%2e", "..", "a%20b", "%F0%9F%98%80", "x".repeat(2_000), "%FF", "%C0%AF", ";x", "%2F",
                "%252F", "~", "%u0000", "null", "undefined", "' OR '1'='1");
        for (String segment : segments) {
            String s = segment.replace(" ", "%20").replace("'", "%27");
            for (String[] route : List.of(new String[]{"GET", "/api/sync/status/" + s}, new String[]{"POST", "/api/sync/status/" + s + "/cancel"},
                    new String[]{"POST", "/api/sync/status/" + s + "/rerun"}, new String[]{"POST", "/api/sync/failures/" + s + "/retry"},
                    new String[]{"GET", "/api/apps/" + s}, new String[]{"DELETE", "/api/apps/" + s},
                    new String[]{"GET", "/api/sync-list/" + s}, new String[]{"DELETE", "/api/sync-list/" + s},
                    new String[]{"GET", "/admin/tenants/" + s}, new String[]{"POST", "/admin/tenants/" + s + "/disable"},
                    new String[]{"GET", "/admin/tenants/" + s + "/api-keys"},
                    new String[]{"DELETE", "/admin/tenants/acme/api-keys/" + s})) {
                corpus.check(rawCall(route[0] + " " + abbreviate(route[1]), route[0], route[1],
                        route[1].startsWith("/admin") ? operator : tenant, null), Expect.REFUSED);
            }
            corpus.check(rawCall("PATCH /api/apps/" + abbreviate(s), "PATCH", "/api/apps/" + s, json(tenant),
                    "{}".getBytes(StandardCharsets.UTF_8)), Expect.REFUSED);
            corpus.check(rawCall("PATCH /api/sync-list/" + abbreviate(s), "PATCH", "/api/sync-list/" + s, json(tenant),
                    "{}".getBytes(StandardCharsets.UTF_8)), Expect.REFUSED);
            corpus.check(rawCall("webhook tenant " + abbreviate(s), "POST", "/webhooks/" + s + "/billing", List.of(),
                    "{}".getBytes(StandardCharsets.UTF_8)), Expect.REFUSED);
            corpus.check(rawCall("webhook app " + abbreviate(s), "POST", "/webhooks/acme/" + s, List.of(),
                    "{}".getBytes(StandardCharsets.UTF_8)), Expect.REFUSED);
        }
        for (String health : List.of("/health/db", "/health/x", "/health/liveness/x", "/health/readiness/db", "/health/%00",
                "/health/disk-space", "/health/jdbc", "/health/" + "x".repeat(500))) {
            corpus.check(rawCall(abbreviate(health), "GET", health, List.of(), null), Expect.refused(404, "not_found", null));
        }
        corpus.assertNoFailures();
    }

    @Test
    void requestHeadsOverTheLimitsOrBrokenAreProblemsToo() {
        var corpus = new Corpus();
        corpus.check(rawCall("long request line", "GET", "/health?" + "a".repeat(10_000), List.of(), null),
                Expect.refused(414, "uri_too_long", null));
        corpus.check(rawCall("long path", "GET", "/api/apps/" + "a".repeat(10_000), tenant, null),
                Expect.refused(414, "uri_too_long", null));
        corpus.check(rawCall("long header", "GET", "/health", List.of("X-Big: " + "a".repeat(20_000)), null),
                Expect.refused(431, "headers_too_large", null));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            many.add("X-Header-" + i + ": " + "v".repeat(60));
        }
        corpus.check(rawCall("many headers", "GET", "/health", many, null), Expect.refused(431, "headers_too_large", null));
        corpus.check(rawCall("long authorization", "GET", "/api/apps", List.of("Authorization: Bearer " + "t".repeat(20_000),
                "X-Tenant-ID: acme"), null), Expect.refused(431, "headers_too_large", null));
        // A body that would be refused anyway: whatever the server makes of the head, nothing is queued.
        byte[] body = "{\"app_key\": 1}".getBytes(StandardCharsets.UTF_8);
        for (List<String> headers : List.of(
                with(tenant, "X-Tenant-ID: ac\u0000me"), with(tenant, "X-Tenant-ID: ac\u0001me"),
                with(tenant, "Bad Header: x"), with(tenant, "NoColon"), with(tenant, ": no name"),
                with(tenant, "X-Folded: a", " folded"), List.of("Authorization: Bearer \u00ff\u00fe", "X-Tenant-ID: acme"),
                with(tenant, "Content-Type: application/json", "Content-Length: abc"),
                with(tenant, "Content-Type: application/json", "Content-Length: -1"),
                with(tenant, "Content-Type: application/json", "Content-Length: 99999999999999999999"),
                with(tenant, "Content-Type: application/json", "Content-Length: 5", "Content-Length: 7"),
                with(tenant, "Content-Type: application/json", "Content-Length: 10737418240"),
                with(tenant, "Content-Type: application/json", "Transfer-Encoding: gzip"))) {
            corpus.check(rawCall("head " + abbreviate(String.join(" | ", headers.subList(Math.max(0, headers.size() - 2),
                    headers.size()))), "POST", "/api/sync", headers, body), Expect.REFUSED);
        }
        // Bodies that are not what their Content-Encoding (or a compressed Transfer-Encoding) says: the server
        // decompresses them before anyone reads them, and bytes that do not decode are the caller's error.
        for (String encoding : List.of("Content-Encoding: gzip", "Content-Encoding: x-gzip", "Content-Encoding: snappy")) {
            corpus.check(rawCall(encoding, "POST", "/api/sync", with(json(tenant), encoding), body),
                    Expect.refused(400, "invalid_encoding", null));
        }
        corpus.check(rawCall("Transfer-Encoding: gzip, chunked", "POST", "/api/sync", with(json(tenant),
                "Transfer-Encoding: gzip, chunked"), ("e\r\n" + new String(body, StandardCharsets.UTF_8) + "\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8)), Expect.refused(400, "invalid_encoding", null));
        // Chunked bodies: malformed chunk sizes, and one over the 1 MB limit without a Content-Length.
        corpus.check(rawCall("chunked and a Content-Length", "POST", "/api/sync", with(tenant, "Content-Type: application/json",
                "Transfer-Encoding: chunked", "Content-Length: 3"), ("e\r\n" + new String(body, StandardCharsets.UTF_8)
                + "\r\n0\r\n\r\n").getBytes(StandardCharsets.UTF_8)), Expect.REFUSED);
        corpus.check(rawCall("bad chunk size", "POST", "/api/sync", with(tenant, "Content-Type: application/json",
                "Transfer-Encoding: chunked"), "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8)), Expect.REFUSED);
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        String chunk = "x".repeat(65_536);
        chunked.writeBytes("9\r\n{\"pad\": \"\r\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 20; i++) {
            chunked.writeBytes((Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        chunked.writeBytes("2\r\n\"}\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        corpus.check(rawCall("chunked 1.3 MB", "POST", "/api/sync", with(tenant, "Content-Type: application/json",
                "Transfer-Encoding: chunked"), chunked.toByteArray()), Expect.refused(413, null, null));
        for (String line : List.of("GET /health HTTP/9.9", "GET /health FOO/1.1", "GET /health", "GET  /health HTTP/1.1",
                "\u0001\u0002 /health HTTP/1.1", "GET health HTTP/1.1", "GET http://evil.example/health HTTP/1.1",
                "GET /health?x=\u00ff HTTP/1.1", "GET /he\u0000alth HTTP/1.1", "G\u00c9T /health HTTP/1.1")) {
            corpus.checkBytes("request line " + abbreviate(line), (line + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1), Expect.ANY);
        }
        corpus.assertNoFailures();
    }

    private String jwt(JWTClaimsSet claims, String secret) {
        try {
            var token = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            token.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return token.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token signed over exactly this payload text: claims (a null, a huge number) no claims builder writes. */
    private String jwt(String payload) {
        try {
            var token = new com.nimbusds.jose.JWSObject(new JWSHeader(JWSAlgorithm.HS256), new com.nimbusds.jose.Payload(payload));
            token.sign(new MACSigner(JWT_SECRET.getBytes(StandardCharsets.UTF_8)));
            return token.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("svc").expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .claim("roles", List.of("sync:admin"));
    }

    @Test
    void credentialsAndTenantHeadersOfEveryMalformedShapeAreRefused() {
        var corpus = new Corpus();
        List<Object> nullTenant = new ArrayList<>();
        nullTenant.add(null);
        List<Object> acmeAndNull = new ArrayList<>(List.of("acme"));
        acmeAndNull.add(null);
        List<Object> nullRole = new ArrayList<>();
        nullRole.add(null);
        assertEquals(200, send(call("GET", "/api/apps", List.of("Authorization: Bearer "
                + jwt(claims().claim("tenants", List.of("acme")).build(), JWT_SECRET), "X-Tenant-ID: acme"), null)).status(),
                "a well-formed token is accepted, so the refusals below are about their shapes");
        for (JWTClaimsSet malformed : List.of(
                claims().claim("tenants", nullTenant).build(), claims().claim("tenants", acmeAndNull).build(),
                claims().claim("tenants", List.of(1)).build(), claims().claim("tenants", List.of(List.of("acme"))).build(),
                claims().claim("tenants", List.of(Map.of("id", "acme"))).build(), claims().claim("tenants", "acme").build(),
                claims().claim("tenants", Map.of("acme", true)).build(), claims().claim("tenant_id", 5).build(),
                claims().claim("tenant_id", List.of("acme")).build(), claims().claim("tenant_id", "acme").claim("roles", "sync:admin").build(),
                claims().claim("tenant_id", "acme").claim("roles", nullRole).build(),
                claims().claim("tenant_id", "acme").claim("roles", List.of(1)).build(),
                claims().claim("tenant_id", "acme").subject("").build(), claims().claim("tenant_id", "acme").subject(null).build(),
                claims().claim("tenant_id", "acme").expirationTime(null).build(),
                claims().claim("tenant_id", "acme").expirationTime(Date.from(Instant.now().minusSeconds(600))).build())) {
            corpus.check(call("GET", "/api/apps", List.of("Authorization: Bearer " + jwt(malformed, JWT_SECRET),
                    "X-Tenant-ID: acme"), null), Expect.refused(401, "unauthorized", null));
        }
        corpus.check(call("GET", "/api/apps", List.of("Authorization: Bearer " + jwt(claims().claim("tenant_id", "acme")
                .build(), "another-secret-of-at-least-32-bytes-long!"), "X-Tenant-ID: acme"), null), Expect.refused(401, "unauthorized", null));
        long exp = Instant.now().getEpochSecond() + 600;
        String grants = "\"tenant_id\": \"acme\", \"roles\": [\"sync:admin\"]";
        assertEquals(200, send(call("GET", "/api/apps", List.of("Authorization: Bearer " + jwt("{\"sub\": \"svc\", \"exp\": "
                + exp + ", " + grants + "}"), "X-Tenant-ID: acme"), null)).status(), "a hand-written payload is accepted as such");
        for (String times : List.of("\"sub\": \"svc\", \"exp\": null", "\"sub\": null, \"exp\": " + exp,
                "\"sub\": \"svc\", \"exp\": " + exp + ", \"nbf\": 1e30", "\"sub\": \"svc\", \"exp\": " + exp
                        + ", \"nbf\": 9223372036854775807", "\"sub\": \"svc\", \"exp\": 99999999999999999999",
                "\"sub\": \"svc\", \"exp\": \"" + exp + "\"", "\"sub\": \"svc\", \"exp\": " + exp + ", \"iat\": -1e30")) {
            corpus.check(call("GET", "/api/apps", List.of("Authorization: Bearer " + jwt("{" + times + ", " + grants + "}"),
                    "X-Tenant-ID: acme"), null), Expect.refused(401, "unauthorized", null));
        }
        var base64 = java.util.Base64.getUrlEncoder().withoutPadding();
        for (String token : List.of("", "x", "a.b.c", "..", "...", "e30.e30.", "e30.e30.e30",
                base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                        + base64.encodeToString("{\"sub\":\"x\",\"tenant_id\":\"acme\",\"exp\":9999999999}".getBytes(StandardCharsets.UTF_8)) + ".",
                base64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + ".W10.c2ln",
                base64.encodeToString(("{\"alg\":\"HS256\",\"x\":" + "[".repeat(3_000) + "]".repeat(3_000) + "}")
                        .getBytes(StandardCharsets.UTF_8)) + ".e30.c2ln",
                "trb_live_", "trb_live_" + "x".repeat(500), "trb_live_😀", "t".repeat(10_000))) {
            corpus.check(rawCall("bearer " + abbreviate(token), "GET", "/api/apps", List.of("Authorization: Bearer " + token,
                    "X-Tenant-ID: acme"), null), Expect.refused(401, "unauthorized", null));
        }
        for (String authorization : List.of("Bearer", "Basic YTpi", "bearer", "Token abc", "Bearer  ", "Bearer a b")) {
            corpus.check(rawCall("authorization " + authorization, "GET", "/api/apps", List.of("Authorization: " + authorization,
                    "X-Tenant-ID: acme"), null), Expect.refused(401, "unauthorized", null));
        }
        corpus.check(call("GET", "/api/apps", List.of("X-Tenant-ID: acme"), null), Expect.refused(401, "unauthorized", null));
        for (String header : List.of("X-Tenant-ID:", "X-Tenant-ID: a b", "X-Tenant-ID: " + "x".repeat(1_000),
                "X-Tenant-ID: 😀", "X-Tenant-ID: ../acme", "X-Tenant-ID: %61cme", "X-Tenant-ID: acme,globex")) {
            corpus.check(rawCall(abbreviate(header), "GET", "/api/apps", List.of(tenant.get(0), header), null),
                    Expect.refused(400, null, null));
        }
        corpus.check(rawCall("tenant missing", "GET", "/api/apps", List.of(tenant.get(0)), null),
                Expect.refused(400, "tenant_header_missing", null));
        corpus.check(rawCall("tenant not granted", "POST", "/api/sync", with(List.of(tenant.get(0), "X-Tenant-ID: globex"),
                "Content-Type: application/json"), "{\"app_key\": \"shop\"}".getBytes(StandardCharsets.UTF_8)),
                Expect.refused(403, "forbidden", null));
        for (String key : List.of("k".repeat(256), "a b", "😀", "\t", "é")) {
            corpus.check(rawCall("Idempotency-Key " + abbreviate(key), "POST", "/api/sync", with(json(tenant),
                    "Idempotency-Key: " + key), "{\"app_key\": \"shop\"}".getBytes(StandardCharsets.UTF_8)),
                    Expect.field("idempotency_key"));
        }
        corpus.check(call("POST", "/api/sync", json(tenant), "{\"app_key\": \"shop\", \"idempotency_key\": \"" + "k".repeat(256)
                + "\"}"), Expect.field("idempotency_key"));
        corpus.check(call("POST", "/api/sync", with(json(tenant), "Idempotency-Key: one"), "{\"app_key\": \"shop\","
                + " \"idempotency_key\": \"two\"}"), Expect.field("idempotency_key"));
        corpus.check(call("GET", "/admin/tenants", List.of("Authorization: Bearer wrong"), null), Expect.refused(401, "unauthorized", null));
        corpus.check(call("GET", "/admin/tenants", List.of(), null), Expect.refused(401, "unauthorized", null));
        corpus.assertNoFailures();
    }

    @Test
    void webhooksWithMalformedSignaturesOrBodiesAreRefusedNeverAServerError() {
        var corpus = new Corpus();
        long now = Instant.now().getEpochSecond();
        byte[] event = "{\"id\": \"evt_1\", \"type\": \"customer.created\", \"data\": {\"object\": {}}}".getBytes(StandardCharsets.UTF_8);
        List<String> stripe = new ArrayList<>(List.of("", "t=", "v1=", "t=,v1=", "t=1", "t=abc,v1=abc",
                "t=1234567890123456789012345,v1=00", "t=-1,v1=00", "t=1.5,v1=00", "t=" + now + ",v1=zz",
                "t=" + now + ",v1=" + "a".repeat(5_000), ",,,,", "t=1,t=2,v1=00", "=", "t", "t=" + now + ",v1=",
                "t=" + now + ",v0=00", "t=" + now + ",v1=" + "0".repeat(64) + ",v1=", "t=99999999999999999999,v1=00",
                "t=\u00ff,v1=00", "t=" + now + ";v1=00", "t==,v1=="));
        for (String signature : stripe) {
            corpus.check(rawCall("Stripe-Signature " + abbreviate(signature), "POST", "/webhooks/acme/billing",
                    List.of("Content-Type: application/json", "Stripe-Signature: " + signature), event),
                    Expect.refused(400, "invalid_signature", null));
        }
        for (String signature : List.of("", "sha1=", "sha1=zz", "sha256=00", "md5=abc", "sha1=" + "a".repeat(5_000), "=",
                "sha1", "sha1=" + "0".repeat(40) + "=", "SHA1=00", "sha1=\u00ff")) {
            corpus.check(rawCall("X-Hub-Signature " + abbreviate(signature), "POST", "/webhooks/acme/chat",
                    List.of("Content-Type: application/json", "X-Hub-Signature: " + signature), event),
                    Expect.refused(400, "invalid_signature", null));
        }
        for (String app : List.of("billing", "chat")) {
            for (byte[] body : List.of(new byte[0], new byte[]{(byte) 0xff, (byte) 0xfe}, "null".getBytes(StandardCharsets.UTF_8),
                    "[".repeat(100_000).getBytes(StandardCharsets.UTF_8), "{\"id\": \"\\u0000\"}".getBytes(StandardCharsets.UTF_8))) {
                corpus.check(rawCall(app + " unsigned " + body.length + " bytes", "POST", "/webhooks/acme/" + app,
                        List.of("Content-Type: application/json"), body), Expect.refused(400, "invalid_signature", null));
            }
            corpus.check(rawCall(app + " as text/plain", "POST", "/webhooks/acme/" + app, List.of("Content-Type: text/plain"),
                    event), Expect.refused(400, "invalid_signature", null));
            corpus.check(rawCall(app + " over 1 MB", "POST", "/webhooks/acme/" + app, List.of("Content-Type: application/json"),
                    new byte[1_100_000]), Expect.refused(413, "payload_too_large", null));
        }
        corpus.check(rawCall("unknown tenant", "POST", "/webhooks/nobody/billing", List.of(), event), Expect.refused(404, "not_found", null));
        corpus.check(rawCall("unknown app", "POST", "/webhooks/acme/nothing", List.of(), event), Expect.refused(404, "not_found", null));
        corpus.check(rawCall("malformed app key", "POST", "/webhooks/acme/bad%20key", List.of(), event), Expect.refused(400, null, null));
        corpus.assertNoFailures();
    }

    @Test
    void wrongMediaTypesMethodsAndOriginsAreProblemsThatChangeNothing() {
        var corpus = new Corpus();
        for (Endpoint endpoint : ENDPOINTS) {
            for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x", "image/png", "application/octet-stream")) {
                corpus.check(call(endpoint.method(), endpoint.path(), with(auth(endpoint), "Content-Type: " + type),
                        endpoint.base()), Expect.refused(415, "unsupported_media_type", null));
            }
            for (String type : List.of("application/json; charset=utf-8", "application/json; charset=iso-8859-1",
                    "APPLICATION/JSON", "application/json;;", "garbage", "*/*")) {
                corpus.check(rawCall(endpoint.path() + " as " + type, endpoint.method(), endpoint.path(),
                        with(auth(endpoint), "Content-Type: " + type), "{\"surprise\": 1}".getBytes(StandardCharsets.UTF_8)),
                        Expect.REFUSED);
            }
        }
        for (String path : List.of("/api/apps", "/api/sync", "/api/sync/retry", "/api/sync/status", "/api/sync/failures",
                "/admin/tenants", "/webhooks/acme/billing", "/health", "/api/connectors", "/api/apps/shop/collections")) {
            for (String method : List.of("PUT", "TRACE", "FOO", "PROPFIND", "M-SEARCH")) {
                corpus.check(rawCall(method + " " + path, method, path, path.startsWith("/admin") ? operator : tenant,
                        "{}".getBytes(StandardCharsets.UTF_8)), Expect.REFUSED);
            }
        }
        // Documents are read, never written, traced or deleted (static files are otherwise served to any method).
        for (String path : List.of("/openapi/tributary.yml", "/swagger-ui", "/swagger-ui/index.html", "/console",
                "/console/", "/console/console.js")) {
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "TRACE", "FOO")) {
                corpus.check(rawCall(method + " " + path, method, path, List.of(), null),
                        Expect.refused(405, "method_not_allowed", null));
            }
        }
        corpus.check(rawCall("lower-case get", "get", "/api/apps", tenant, null), Expect.ANY);
        for (String origin : List.of("https://evil.example", "null", "http://localhost.evil.example", "file://", "😀")) {
            corpus.check(rawCall("preflight from " + origin, "OPTIONS", "/api/apps", List.of("Origin: " + origin,
                    "Access-Control-Request-Method: POST"), null), Expect.refused(403, "origin_not_allowed", null));
            corpus.check(rawCall("GET from " + origin, "GET", "/api/apps", with(tenant, "Origin: " + origin), null),
                    Expect.refused(403, "origin_not_allowed", null));
            corpus.check(rawCall("POST from " + origin, "POST", "/api/sync", with(json(tenant), "Origin: " + origin),
                    "{\"app_key\": \"shop\"}".getBytes(StandardCharsets.UTF_8)), Expect.refused(403, "origin_not_allowed", null));
        }
        corpus.check(rawCall("bare OPTIONS", "OPTIONS", "/api/apps", List.of(), null), Expect.refused(403, null, null));
        corpus.assertNoFailures();
    }
}
