package dev.tributary.connector.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the provider-shaped fakes ({@link FakeStripe}, {@link FakeIntercom}) share: a
 * loopback socket on a free port, a log of every request, the failures they can be
 * told to answer with (each subclass writes them in its provider's format), a
 * settable clock, and a client that delivers their signed webhooks.
 */
public abstract class FakeProvider implements FailureInjection, AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /**
     * One id for every object served, hundreds of thousands in a benchmark: not a CopyOnWriteArrayList,
     * which copies all of them on each add.
     */
    private final List<String> served = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger rateLimitedCalls = new AtomicInteger();
    private final AtomicInteger failingCalls = new AtomicInteger();
    private final HttpClient webhookClient = HttpClient.newHttpClient();
    private volatile int retryAfterSeconds = 1;
    private volatile int failureStatus = 503;
    protected volatile Clock clock = Clock.systemUTC();

    protected FakeProvider() {
        server = LoopbackServers.create();
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The clock behind object times, event times and webhook signatures. */
    public FakeProvider clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    @Override
    public FakeProvider rateLimitNext(int calls, int seconds) {
        retryAfterSeconds = seconds;
        rateLimitedCalls.set(calls);
        return this;
    }

    @Override
    public FakeProvider failNext(int calls, int status) {
        failureStatus = status;
        failingCalls.set(calls);
        return this;
    }

    /** Every request so far, as {@code METHOD /path?query}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /**
     * The ids of the objects every list or search answer carried, in the order served: what a
     * filter the connector sent actually kept out of the fetch.
     */
    public List<String> servedIds() {
        synchronized (served) {
            return List.copyOf(served);
        }
    }

    /** Notes the objects an answer carries, for {@link #servedIds()}. */
    protected void served(List<?> objects) {
        for (Object object : objects) {
            if (object instanceof Map<?, ?> map && map.get("id") != null) {
                served.add(String.valueOf(map.get("id")));
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Answers a request the injected failures let through; the body has been read by then. */
    protected abstract void serve(Request request) throws IOException;

    /** Answers with the provider's 429. */
    protected abstract void rateLimited(Request request, int retryAfterSeconds) throws IOException;

    /** Answers with the provider's error for an injected {@code status}. */
    protected abstract void failed(Request request, int status) throws IOException;

    /** Whether the request carries the credentials; a subclass answers 401 itself when not. */
    protected abstract boolean authorized(Request request);

    protected abstract void unauthorized(Request request) throws IOException;

    /** One request: method, path, decoded query and body, and the exchange to answer on. */
    protected record Request(HttpExchange exchange, String method, String path, Map<String, String> query,
                             String body) {

        public String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        public void send(int status, Object body, Map<String, String> headers) throws IOException {
            byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            requests.add(exchange.getRequestMethod() + " " + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var request = new Request(exchange, exchange.getRequestMethod(), uri.getPath(), query(uri.getRawQuery()),
                    body);
            if (!authorized(request)) {
                unauthorized(request);
            } else if (rateLimitedCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                rateLimited(request, retryAfterSeconds);
            } else if (failingCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                failed(request, failureStatus);
            } else {
                serve(request);
            }
        } catch (IOException | RuntimeException e) {
            // The client went away, or the fake was asked something it cannot answer: nothing more to say.
        }
    }

    /** Decodes a query string; a repeated name keeps its last value. */
    protected static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    /** A webhook delivery as the provider makes it: what the receiver answered. */
    public record Delivery(int status, String body) {
    }

    /** POSTs a webhook body with the given headers, as the provider's delivery system would. */
    protected Delivery deliver(URI endpoint, String body, Map<String, String> headers) {
        var request = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = webhookClient.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Delivery(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while delivering a webhook", e);
        }
    }

    /** Hex of an HMAC over {@code payload}, as providers sign webhooks. */
    protected static String hmacHex(String algorithm, String secret, String payload) {
        try {
            var mac = javax.crypto.Mac.getInstance(algorithm);
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return java.util.HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
