package dev.tributary.connector.testkit;

import dev.tributary.connector.json.CanonicalJson;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A fake Intercom workspace on a real socket, in Intercom's shapes: contacts and
 * conversations with cursor pagination ({@code per_page}, {@code starting_after} from
 * {@code pages.next}) and their search endpoints ({@code created_at} and {@code updated_at}
 * compared with {@code >} or {@code <}, combined with {@code AND}/{@code OR}; contacts compare
 * times by day, as Intercom's search does),
 * companies by page number ({@code POST /companies/list}), admins and tags whole;
 * errors as {@code {"type": "error.list", "errors": [{code, message}]}}, 429s with
 * {@code X-RateLimit-Reset}, a required access token — and a webhook sender that signs
 * notifications with {@code X-Hub-Signature: sha1=…}. It takes contact writes as Intercom does:
 * {@code POST /contacts} creates one (409 {@code conflict} when another contact has its {@code email} or
 * {@code external_id}), {@code PUT /contacts/<id>} changes one (404 when unknown); written contacts are listed,
 * searched and served like the others, and each write is kept for tests ({@link #writes()}).
 */
public final class FakeIntercom extends FakeProvider {

    private static final List<String> TYPES = List.of("contact", "company", "conversation", "admin", "tag");

    private final String accessToken;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Map<String, Map<String, Object>>> objects = new LinkedHashMap<>();
    private final List<RecordedWrite> writes = new ArrayList<>();

    private FakeIntercom(String accessToken) {
        this.accessToken = accessToken;
        TYPES.forEach(type -> objects.put(type, new LinkedHashMap<>()));
    }

    public static FakeIntercom start(String accessToken) {
        return new FakeIntercom(accessToken);
    }

    // --- the workspace ---------------------------------------------------------------------

    /** Creates an object of a type ("contact", "company", "conversation", "admin", "tag"); returns its id. */
    public synchronized String create(String type, Map<String, Object> fields) {
        Map<String, Object> object = new LinkedHashMap<>();
        String id = fields.containsKey("id") ? (String) fields.get("id")
                : String.format("%024x", ids.incrementAndGet());
        object.put("type", type);
        object.put("id", id);
        if (!type.equals("admin") && !type.equals("tag")) {
            long now = clock.instant().getEpochSecond();
            object.put("created_at", now);
            object.put("updated_at", now);
        }
        object.putAll(fields);
        objects(type).put(id, object);
        return id;
    }

    /** Many contacts at once, for benchmarks. */
    public synchronized void seedContacts(int count) {
        for (int i = 0; i < count; i++) {
            create("contact", Map.of("role", "user", "email", "contact" + i + "@example.com", "name", "Contact " + i));
        }
    }

    /** Changes fields of an object; its {@code updated_at} becomes now. */
    public synchronized Map<String, Object> update(String type, String id, Map<String, Object> changes) {
        Map<String, Object> object = new LinkedHashMap<>(existing(type, id));
        object.putAll(changes);
        if (object.containsKey("updated_at")) {
            object.put("updated_at", clock.instant().getEpochSecond());
        }
        objects(type).put(id, object);
        return object;
    }

    /** Archives a contact: it stays listed, marked {@code archived}. */
    public synchronized Map<String, Object> archiveContact(String id) {
        return update("contact", id, Map.of("archived", true));
    }

    public synchronized void delete(String type, String id) {
        existing(type, id);
        objects(type).remove(id);
    }

    public synchronized Map<String, Object> object(String type, String id) {
        return objects(type).get(id);
    }

    /** Every contact write the fake accepted, in order, with the body as sent. */
    public synchronized List<RecordedWrite> writes() {
        return List.copyOf(writes);
    }

    // --- webhooks --------------------------------------------------------------------------

    /** A notification of {@code topic} about {@code item}, created now, as Intercom would send it. */
    public String notification(String topic, Map<String, Object> item) {
        Map<String, Object> notification = new LinkedHashMap<>();
        notification.put("type", "notification_event");
        notification.put("app_id", "fakeapp");
        notification.put("data", Map.of("type", "notification_event_data", "item", item));
        notification.put("links", Map.of());
        notification.put("id", "notif_" + UUID.randomUUID());
        notification.put("topic", topic);
        notification.put("delivery_status", "pending");
        notification.put("delivery_attempts", 1);
        notification.put("delivered_at", 0);
        notification.put("first_sent_at", clock.instant().getEpochSecond());
        notification.put("created_at", clock.instant().getEpochSecond());
        notification.put("self", null);
        return Json.write(notification);
    }

    /** The {@code X-Hub-Signature} of a body signed with the app's client secret. */
    public static String signature(String body, String clientSecret) {
        return "sha1=" + hmacHex("HmacSHA1", clientSecret, body);
    }

    /** Delivers a notification body signed with {@code clientSecret}, or unsigned when it is null. */
    public Delivery sendWebhook(URI endpoint, String body, String clientSecret) {
        return deliver(endpoint, body, clientSecret == null ? Map.of()
                : Map.of("X-Hub-Signature", signature(body, clientSecret)));
    }

    // --- serving ---------------------------------------------------------------------------

    @Override
    protected boolean authorized(Request request) {
        return ("Bearer " + accessToken).equals(request.header("Authorization"));
    }

    @Override
    protected void unauthorized(Request request) throws IOException {
        error(request, 401, "unauthorized", "Access Token Invalid", Map.of());
    }

    @Override
    protected void rateLimited(Request request, int retryAfterSeconds) throws IOException {
        long reset = clock.instant().getEpochSecond() + retryAfterSeconds;
        error(request, 429, "rate_limit_exceeded", "Exceeded rate limit",
                Map.of("X-RateLimit-Limit", "10000", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset",
                        Long.toString(reset)));
    }

    @Override
    protected void failed(Request request, int status) throws IOException {
        error(request, status, "server_error", "Internal server error (injected)", Map.of());
    }

    @Override
    protected synchronized void serve(Request request) throws IOException {
        String route = request.method() + " " + request.path();
        switch (route) {
            case "GET /contacts" -> cursorList(request, "contact", "list", "data", object -> true);
            case "POST /contacts" -> writeContact(request, null);
            case "POST /contacts/search" -> search(request, "contact", "list", "data");
            case "GET /conversations" -> cursorList(request, "conversation", "conversation.list", "conversations",
                    object -> true);
            case "POST /conversations/search" -> search(request, "conversation", "conversation.list", "conversations");
            case "POST /companies/list" -> companies(request);
            case "GET /admins" -> whole(request, "admin", "admin.list", "admins");
            case "GET /tags" -> whole(request, "tag", "list", "data");
            default -> single(request);
        }
    }

    private void whole(Request request, String type, String listType, String field) throws IOException {
        List<Map<String, Object>> all = new ArrayList<>(objects(type).values());
        served(all);
        request.send(200, Map.of("type", listType, field, all), Map.of());
    }

    private void single(Request request) throws IOException {
        String[] path = request.path().replaceAll("^/+|/+$", "").split("/");
        if (path.length == 2 && path[0].equals("contacts") && request.method().equals("PUT")) {
            writeContact(request, path[1]);
            return;
        }
        String type = path.length == 2 && request.method().equals("GET") ? switch (path[0]) {
            case "contacts" -> "contact";
            case "companies" -> "company";
            case "conversations" -> "conversation";
            case "admins" -> "admin";
            case "tags" -> "tag";
            default -> null;
        } : null;
        if (type == null) {
            error(request, 404, "not_found", "Resource Not Found", Map.of());
            return;
        }
        Map<String, Object> object = objects(type).get(path[1]);
        if (object == null) {
            error(request, 404, "not_found", "User Not Found", Map.of());
        } else {
            request.send(200, object, Map.of());
        }
    }

    /**
     * Creates a contact ({@code id} null) or changes one, as Intercom does: the body's fields over the contact's,
     * {@code role} {@code user} unless given, read-only fields ignored; a second contact with one email or
     * external_id is a 409.
     */
    private void writeContact(Request request, String id) throws IOException {
        if (id != null && !objects("contact").containsKey(id)) {
            error(request, 404, "not_found", "User Not Found", Map.of());
            return;
        }
        Object parsed;
        try {
            parsed = Json.read(request.body());
        } catch (IOException e) {
            parsed = null;
        }
        if (!(parsed instanceof Map<?, ?> json)) {
            error(request, 400, "parameter_invalid", "The request body must be a JSON object", Map.of());
            return;
        }
        @SuppressWarnings("unchecked") Map<String, Object> body = (Map<String, Object>) json;
        Map<String, Object> fields = new LinkedHashMap<>(body);
        fields.keySet().removeAll(List.of("type", "id", "created_at", "updated_at"));
        for (String unique : List.of("email", "external_id")) {
            Object value = fields.get(unique);
            var match = value == null ? null : objects("contact").values().stream()
                    .filter(c -> value.equals(c.get(unique)) && !c.get("id").equals(id)).findFirst().orElse(null);
            if (match != null) {
                error(request, 409, "conflict", "A contact matching those details already exists with id="
                        + match.get("id"), Map.of());
                return;
            }
        }
        Map<String, Object> contact;
        if (id == null) {
            fields.putIfAbsent("role", "user");
            contact = object("contact", create("contact", fields));
        } else {
            contact = update("contact", id, fields);
        }
        writes.add(new RecordedWrite(request.method(), request.path(), (String) contact.get("id"), body));
        request.send(200, contact, Map.of());
    }

    private void cursorList(Request request, String type, String listType, String field,
                            Predicate<Map<String, Object>> filter) throws IOException {
        int perPage = Integer.parseInt(request.query().getOrDefault("per_page", "50"));
        String startingAfter = request.query().get("starting_after");
        cursorPage(request, type, listType, field, filter, perPage, startingAfter);
    }

    private void cursorPage(Request request, String type, String listType, String field,
                            Predicate<Map<String, Object>> filter, int perPage, String startingAfter)
            throws IOException {
        if (perPage < 1 || perPage > 150) {
            error(request, 400, "parameter_invalid", "per_page must be between 1 and 150", Map.of());
            return;
        }
        List<Map<String, Object>> all = objects(type).values().stream().filter(filter).toList();
        int start = startingAfter == null ? 0
                : Integer.parseInt(new String(Base64.getUrlDecoder().decode(startingAfter), StandardCharsets.UTF_8));
        int end = Math.min(all.size(), start + perPage);
        Map<String, Object> pages = new LinkedHashMap<>();
        pages.put("type", "pages");
        pages.put("page", start / perPage + 1);
        pages.put("per_page", perPage);
        pages.put("total_pages", Math.max(1, (all.size() + perPage - 1) / perPage));
        if (end < all.size()) {
            pages.put("next", Map.of("page", start / perPage + 2, "starting_after",
                    Base64.getUrlEncoder().withoutPadding().encodeToString(
                            Integer.toString(end).getBytes(StandardCharsets.UTF_8))));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        List<Map<String, Object>> page = new ArrayList<>(all.subList(Math.min(start, end), end));
        served(page);
        body.put("type", listType);
        body.put(field, page);
        body.put("total_count", all.size());
        body.put("pages", pages);
        request.send(200, body, Map.of());
    }

    /** A search body the fake, like Intercom, refuses with a 400 saying why. */
    private static final class InvalidQuery extends Exception {
        InvalidQuery(String message) {
            super(message);
        }
    }

    /** Search over {@code created_at} and {@code updated_at}; contacts, as on Intercom, by day. */
    private void search(Request request, String type, String listType, String field) throws IOException {
        var body = CanonicalJson.parse(request.body());
        Predicate<Map<String, Object>> matches;
        try {
            CanonicalJson.Value query = CanonicalJson.valueAt(body, "/query");
            if (query == null) {
                throw new InvalidQuery("a search needs a query");
            }
            matches = matcher(query, type.equals("contact"), 0);
        } catch (InvalidQuery e) {
            error(request, 400, "invalid_query", e.getMessage(), Map.of());
            return;
        }
        String perPage = CanonicalJson.scalarAt(body, "/pagination/per_page");
        cursorPage(request, type, listType, field, matches, perPage == null ? 50 : Integer.parseInt(perPage),
                CanonicalJson.scalarAt(body, "/pagination/starting_after"));
    }

    /**
     * One comparison ({@code field}, {@code operator} {@code >} or {@code <}, Unix-seconds {@code value}), or
     * {@code AND}/{@code OR} of 1 to 15 queries nested at most twice. Compared by day, {@code created_at > t}
     * matches what was created from the day after {@code t}'s day (Intercom's documented contact search).
     */
    private static Predicate<Map<String, Object>> matcher(CanonicalJson.Value query, boolean byDay, int depth)
            throws InvalidQuery {
        String operator = CanonicalJson.scalarAt(query, "/operator");
        if ("AND".equals(operator) || "OR".equals(operator)) {
            if (depth == 2) {
                throw new InvalidQuery("a search nests AND and OR at most twice");
            }
            if (!(CanonicalJson.valueAt(query, "/value") instanceof CanonicalJson.Elements parts)
                    || parts.values().isEmpty() || parts.values().size() > 15) {
                throw new InvalidQuery(operator + " needs a list of 1 to 15 queries");
            }
            Predicate<Map<String, Object>> combined = null;
            for (CanonicalJson.Value part : parts.values()) {
                Predicate<Map<String, Object>> next = matcher(part, byDay, depth + 1);
                combined = combined == null ? next : operator.equals("AND") ? combined.and(next) : combined.or(next);
            }
            return combined;
        }
        String field = CanonicalJson.scalarAt(query, "/field");
        if (!"created_at".equals(field) && !"updated_at".equals(field)) {
            throw new InvalidQuery("this fake searches only created_at and updated_at, not " + field);
        }
        if (!">".equals(operator) && !"<".equals(operator)) {
            throw new InvalidQuery(field + " does not support operator: " + operator);
        }
        long bound;
        try {
            bound = Long.parseLong(String.valueOf(CanonicalJson.scalarAt(query, "/value")));
        } catch (NumberFormatException e) {
            throw new InvalidQuery(field + " takes a Unix timestamp");
        }
        long comparedBound = byDay ? Math.floorDiv(bound, 86_400L) : bound;
        return object -> {
            long time = ((Number) object.get(field)).longValue();
            long compared = byDay ? Math.floorDiv(time, 86_400L) : time;
            return operator.equals(">") ? compared > comparedBound : compared < comparedBound;
        };
    }

    private void companies(Request request) throws IOException {
        int page = Integer.parseInt(request.query().getOrDefault("page", "1"));
        int perPage = Integer.parseInt(request.query().getOrDefault("per_page", "15"));
        if (perPage < 1 || perPage > 60 || page < 1) {
            error(request, 400, "parameter_invalid", "per_page must be between 1 and 60", Map.of());
            return;
        }
        List<Map<String, Object>> all = new ArrayList<>(objects("company").values());
        int start = (page - 1) * perPage;
        int end = Math.min(all.size(), start + perPage);
        int totalPages = Math.max(1, (all.size() + perPage - 1) / perPage);
        Map<String, Object> pages = new LinkedHashMap<>();
        pages.put("type", "pages");
        pages.put("page", page);
        pages.put("per_page", perPage);
        pages.put("total_pages", totalPages);
        pages.put("next", page < totalPages ? page + 1 : null);
        Map<String, Object> body = new LinkedHashMap<>();
        List<Map<String, Object>> data = new ArrayList<>(all.subList(Math.min(start, end), end));
        served(data);
        body.put("type", "list");
        body.put("data", data);
        body.put("total_count", all.size());
        body.put("pages", pages);
        request.send(200, body, Map.of());
    }

    private static void error(Request request, int status, String code, String message, Map<String, String> headers)
            throws IOException {
        request.send(status, Map.of("type", "error.list", "request_id", UUID.randomUUID().toString(),
                "errors", List.of(Map.of("code", code, "message", message))), headers);
    }

    private Map<String, Map<String, Object>> objects(String type) {
        Map<String, Map<String, Object>> typed = objects.get(type);
        if (typed == null) {
            throw new IllegalArgumentException("the fake has no type " + type);
        }
        return typed;
    }

    private Map<String, Object> existing(String type, String id) {
        Map<String, Object> object = objects(type).get(id);
        if (object == null) {
            throw new IllegalArgumentException("no " + type + " " + id);
        }
        return object;
    }
}
