package dev.tributary.connector.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake SaaS API on a real socket (loopback, free port): named collections of
 * records you can change between syncs, served at {@code /<collection>} with the
 * chosen {@link Pagination}, filtered by {@code updated_since} and {@code created_since}
 * (ISO-8601, or Unix seconds), one record at
 * {@code /<collection>/<id>}; writes as a destination receives them — {@code POST /<collection>} creates a
 * record with a new id, {@code PUT} (replace) and {@code PATCH} (merge) {@code /<collection>/<id>} change one,
 * 404 when unknown — kept for tests to read back ({@link #writes()}, {@link #find}); plus the failures real
 * APIs have — 429 with {@code Retry-After}, 5xx, slow answers, a required bearer token — and a log of
 * every request. Tests, the demo and the benchmarks share it.
 */
public final class FakeSaasServer implements FailureInjection, AutoCloseable {

    private final HttpServer server;
    private final ScheduledExecutorService delayed = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Map<String, FakeRecord>> collections = new ConcurrentHashMap<>();
    private final Map<String, Pagination> paginations = new ConcurrentHashMap<>();
    private final Map<String, byte[]> documents = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<RecordedWrite> writes = new CopyOnWriteArrayList<>();
    private final AtomicInteger createdIds = new AtomicInteger();
    /**
     * One id for every object served, hundreds of thousands in a benchmark: not a CopyOnWriteArrayList,
     * which copies all of them on each add.
     */
    private final List<String> served = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger rateLimitedCalls = new AtomicInteger();
    private final AtomicInteger failingCalls = new AtomicInteger();
    private final AtomicInteger failAtRequest = new AtomicInteger(-1);
    private final AtomicInteger breakOffAfter = new AtomicInteger(-1);
    private volatile int retryAfterSeconds = 1;
    private volatile int failureStatus = 503;
    private volatile Duration delay = Duration.ZERO;
    private volatile String requiredBearer;
    private volatile Clock clock = Clock.systemUTC();

    private FakeSaasServer(HttpServer server) {
        this.server = server;
    }

    public static FakeSaasServer start() {
        var server = LoopbackServers.create();
        var fake = new FakeSaasServer(server);
        server.createContext("/", fake::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return fake;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    // --- the dataset ---------------------------------------------------------------------

    /** Adds or replaces a record; its {@code updated_at} becomes now, its {@code created_at} too when it is new. */
    public FakeSaasServer put(String collection, String id, Map<String, Object> fields) {
        Instant now = clock.instant();
        records(collection).compute(id, (key, old) -> new FakeRecord(id, old == null ? now : old.createdAt(), now,
                fields));
        return this;
    }

    /** Adds {@code count} records {@code <prefix>-1 … <prefix>-count}, each with a {@code name} and a {@code status}. */
    public FakeSaasServer putMany(String collection, String prefix, int count) {
        for (int i = 1; i <= count; i++) {
            put(collection, prefix + "-" + i, Map.of("name", prefix + " " + i, "status", "active"));
        }
        return this;
    }

    public FakeSaasServer remove(String collection, String id) {
        records(collection).remove(id);
        return this;
    }

    /** The records of a collection as they are now. */
    public List<FakeRecord> snapshot(String collection) {
        return List.copyOf(records(collection).values());
    }

    /** Serves {@code body} as is at {@code path} (a whole feed document, gzip or not). */
    public FakeSaasServer document(String path, byte[] body) {
        documents.put(path, body);
        return this;
    }

    public FakeSaasServer paginate(String collection, Pagination pagination) {
        paginations.put(collection, pagination);
        return this;
    }

    /** The time stamped on changes; tests move it to make {@code updated_since} meaningful. */
    public FakeSaasServer clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    // --- failures ------------------------------------------------------------------------

    /** The next {@code calls} requests get 429 with {@code Retry-After: seconds}. */
    public FakeSaasServer rateLimitNext(int calls, int seconds) {
        retryAfterSeconds = seconds;
        rateLimitedCalls.set(calls);
        return this;
    }

    /** The next {@code calls} requests get {@code status} (e.g. 500, 503, 400). */
    public FakeSaasServer failNext(int calls, int status) {
        failureStatus = status;
        failingCalls.set(calls);
        return this;
    }

    /** The {@code nth} request from now on (1 = the next one) gets {@code status}; the others are served. */
    public FakeSaasServer failAt(int nth, int status) {
        failureStatus = status;
        failAtRequest.set(requests.size() + nth);
        return this;
    }

    /**
     * The next document answer promises its whole length but stops after {@code bytes} and drops the
     * connection: a feed that breaks off mid-download.
     */
    public FakeSaasServer breakOffAfter(int bytes) {
        breakOffAfter.set(bytes);
        return this;
    }

    /** Every answer waits this long first. */
    public FakeSaasServer delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** Requests without {@code Authorization: Bearer token} get 401. */
    public FakeSaasServer requireBearer(String token) {
        this.requiredBearer = token;
        return this;
    }

    // --- what happened -------------------------------------------------------------------

    /** Every request so far, as {@code METHOD path?query}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Every write the server accepted, in order: creates and updates, with the body as sent. */
    public List<RecordedWrite> writes() {
        return List.copyOf(writes);
    }

    /** The record of a collection with {@code id}, as it is now — written by a client or put by the test. */
    public Optional<FakeRecord> find(String collection, String id) {
        return Optional.ofNullable(records(collection).get(id));
    }

    public int requestCount() {
        return requests.size();
    }

    /** The ids of the records every list answer carried, in the order served. */
    public List<String> servedIds() {
        synchronized (served) {
            return List.copyOf(served);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        delayed.shutdownNow();
    }

    // --- serving -------------------------------------------------------------------------

    private Map<String, FakeRecord> records(String collection) {
        return collections.computeIfAbsent(collection, c -> Collections.synchronizedMap(new LinkedHashMap<>()));
    }

    private void handle(HttpExchange exchange) {
        URI uri = exchange.getRequestURI();
        requests.add(exchange.getRequestMethod() + " " + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        if (delay.isZero()) {
            respond(exchange);
        } else {
            // A slow API: the answer comes later, from another thread, while this one is free.
            delayed.schedule(() -> respond(exchange), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void respond(HttpExchange exchange) {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            if (requiredBearer != null
                    && !("Bearer " + requiredBearer).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, Map.of("error", "unauthorized"), Map.of());
                return;
            }
            if (rateLimitedCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(exchange, 429, Map.of("error", "rate_limited"),
                        Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
                return;
            }
            if (failingCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                    || failAtRequest.compareAndSet(requests.size(), -1)) {
                send(exchange, failureStatus, Map.of("error", "injected failure"), Map.of());
                return;
            }
            byte[] document = documents.get(uri.getPath());
            if (document != null) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, document.length);
                int cut = breakOffAfter.getAndSet(-1);
                exchange.getResponseBody().write(document, 0, cut < 0 ? document.length : Math.min(cut, document.length));
                exchange.getResponseBody().flush();
                return; // closing a short fixed-length answer drops the connection
            }
            String[] path = Arrays.stream(uri.getRawPath().replaceAll("^/+|/+$", "").split("/"))
                    .map(segment -> URLDecoder.decode(segment, StandardCharsets.UTF_8)).toArray(String[]::new);
            if (!exchange.getRequestMethod().equals("GET")) {
                write(exchange, path);
            } else if (path.length == 1 && collections.containsKey(path[0])) {
                list(exchange, path[0], query(uri));
            } else if (path.length == 2 && collections.containsKey(path[0])) {
                FakeRecord record = records(path[0]).get(path[1]);
                if (record == null) {
                    send(exchange, 404, Map.of("error", "not found"), Map.of());
                } else {
                    send(exchange, 200, record.asJson(), Map.of());
                }
            } else {
                send(exchange, 404, Map.of("error", "no such endpoint"), Map.of());
            }
        } catch (IOException e) {
            // The client went away; nothing to answer.
        }
    }

    /** A create ({@code POST /<collection>}) or an update ({@code PUT}/{@code PATCH /<collection>/<id>}). */
    private void write(HttpExchange exchange, String[] path) throws IOException {
        String method = exchange.getRequestMethod();
        boolean create = method.equals("POST") && path.length == 1 && !path[0].isEmpty();
        boolean update = (method.equals("PUT") || method.equals("PATCH")) && path.length == 2;
        if (!create && !update) {
            send(exchange, 405, Map.of("error", method + " is not accepted here"), Map.of());
            return;
        }
        Object parsed;
        try {
            parsed = Json.read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            parsed = null;
        }
        if (!(parsed instanceof Map<?, ?> json)) {
            send(exchange, 400, Map.of("error", "the body must be a JSON object"), Map.of());
            return;
        }
        @SuppressWarnings("unchecked") Map<String, Object> body = (Map<String, Object>) json;
        Map<String, Object> fields = new LinkedHashMap<>(body);
        fields.keySet().removeAll(List.of("id", "created_at", "updated_at"));
        String id;
        synchronized (this) {
            Map<String, FakeRecord> records = records(path[0]);
            if (create) {
                do {
                    id = "w-" + createdIds.incrementAndGet();
                } while (records.containsKey(id));
            } else {
                id = path[1];
                FakeRecord old = records.get(id);
                if (old == null) {
                    send(exchange, 404, Map.of("error", "not found"), Map.of());
                    return;
                }
                if (method.equals("PATCH")) {
                    Map<String, Object> merged = new LinkedHashMap<>(old.fields());
                    merged.putAll(fields);
                    fields = merged;
                }
            }
            put(path[0], id, fields);
            writes.add(new RecordedWrite(method, exchange.getRequestURI().getRawPath(), id, body));
        }
        send(exchange, create ? 201 : 200, records(path[0]).get(id).asJson(), Map.of());
    }

    private void list(HttpExchange exchange, String collection, Map<String, String> query) throws IOException {
        List<FakeRecord> all = new ArrayList<>(snapshot(collection));
        try {
            Instant updatedSince = time(query.get("updated_since"));
            Instant createdSince = time(query.get("created_since"));
            all.removeIf(r -> updatedSince != null && r.updatedAt().isBefore(updatedSince)
                    || createdSince != null && r.createdAt().isBefore(createdSince));
        } catch (DateTimeException | NumberFormatException e) {
            send(exchange, 400, Map.of("error", "updated_since and created_since take ISO-8601 or Unix seconds"),
                    Map.of());
            return;
        }
        Pagination pagination = paginations.getOrDefault(collection, Pagination.OFFSET);
        int size = Integer.parseInt(query.getOrDefault(
                pagination == Pagination.PAGE_NUMBER || pagination == Pagination.LINK_HEADER ? "per_page" : "limit", "10"));
        int start = switch (pagination) {
            case OFFSET -> Integer.parseInt(query.getOrDefault("offset", "0"));
            case PAGE_NUMBER, LINK_HEADER -> (Integer.parseInt(query.getOrDefault("page", "1")) - 1) * size;
            case CURSOR -> Integer.parseInt(query.getOrDefault("cursor", "0"));
            case NEXT_URL -> Integer.parseInt(query.getOrDefault("after", "0"));
        };
        int end = Math.min(all.size(), start + size);
        List<FakeRecord> records = all.subList(Math.min(start, end), end);
        records.forEach(r -> served.add(r.id()));
        List<Object> page = records.stream().map(r -> (Object) r.asJson()).toList();
        boolean more = end < all.size();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", page);
        switch (pagination) {
            case OFFSET, PAGE_NUMBER -> send(exchange, 200, body, Map.of());
            case CURSOR -> {
                body.put("next_cursor", more ? Integer.toString(end) : null);
                send(exchange, 200, body, Map.of());
            }
            case NEXT_URL -> {
                body.put("next", more ? baseUri() + "/" + collection + "?" + with(query, "after", end) : null);
                send(exchange, 200, body, Map.of());
            }
            case LINK_HEADER -> {
                int pageNumber = Integer.parseInt(query.getOrDefault("page", "1"));
                Map<String, String> headers = more
                        ? Map.of("Link", "<" + baseUri() + "/" + collection + "?" + with(query, "page", pageNumber + 1)
                                + ">; rel=\"next\"")
                        : Map.of();
                send(exchange, 200, page, headers);
            }
        }
    }

    private static Instant time(String value) {
        if (value == null) {
            return null;
        }
        return value.matches("\\d+") ? Instant.ofEpochSecond(Long.parseLong(value)) : Instant.parse(value);
    }

    private static String with(Map<String, String> query, String key, int value) {
        Map<String, String> next = new LinkedHashMap<>(query);
        next.put(key, Integer.toString(value));
        StringBuilder out = new StringBuilder();
        next.forEach((k, v) -> out.append(out.isEmpty() ? "" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void send(HttpExchange exchange, int status, Object body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
