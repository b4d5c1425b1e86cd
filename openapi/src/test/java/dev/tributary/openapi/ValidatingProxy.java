package dev.tributary.openapi;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stands between an SDK and the service, passing every exchange through unchanged and checking both halves of
 * it against the committed document with Atlassian's swagger-request-validator: an undocumented status, a
 * missing or malformed header, a member the schema does not declare (the validator treats every object as
 * {@code additionalProperties: false} unless the document says otherwise), a wrong type or format, a missing
 * required member. It checks what was on the wire, not what the SDK made of it.
 */
final class ValidatingProxy implements AutoCloseable {

    /**
     * Headers the JDK's client sets itself and refuses to be given, and {@code Accept-Encoding}: the validator
     * reads bodies as they are, so the service is asked for them uncompressed.
     */
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "date", "via", "warning", "from", "accept-encoding");

    record Exchange(String method, String path, int status, List<String> problems) {
        @Override
        public String toString() {
            return method + " " + path + " → " + status + (problems.isEmpty() ? "" : ": " + problems);
        }
    }

    private final OpenApiInteractionValidator validator;
    private final URI target;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    private ValidatingProxy(Path document, URI target) throws IOException {
        this.validator = OpenApiInteractionValidator.createForSpecificationUrl(document.toUri().toString())
                // A query parameter the operation does not declare is as wrong as an undeclared member.
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
                        .build())
                .build();
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::forward);
        server.start();
    }

    static ValidatingProxy in(Path document, URI target) throws IOException {
        return new ValidatingProxy(document, target);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** Fails naming every exchange the document does not describe. */
    void assertAllValid() {
        List<Exchange> invalid = exchanges.stream().filter(e -> !e.problems().isEmpty()).toList();
        assertTrue(invalid.isEmpty(), "exchanges the document does not describe:\n" + invalid.stream()
                .map(Exchange::toString).collect(Collectors.joining("\n")));
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            URI requested = exchange.getRequestURI();
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            var outbound = HttpRequest.newBuilder(target.resolve(requested.getRawPath()
                            + (requested.getRawQuery() == null ? "" : "?" + requested.getRawQuery())))
                    .method(method, requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(requestBody));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> outbound.header(name, value));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(outbound.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            exchanges.add(new Exchange(method, requested.getRawPath(), response.statusCode(),
                    problems(exchange, requested, requestBody, response)));

            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private List<String> problems(HttpExchange exchange, URI requested, byte[] requestBody, HttpResponse<byte[]> response) {
        var request = new SimpleRequest.Builder(exchange.getRequestMethod(), requested.getPath());
        exchange.getRequestHeaders().forEach(request::withHeader);
        queryParameters(requested.getRawQuery()).forEach(request::withQueryParam);
        if (requestBody.length > 0) {
            request.withBody(requestBody);
        }
        var answer = new SimpleResponse.Builder(response.statusCode());
        response.headers().map().forEach(answer::withHeader);
        if (response.body().length > 0) {
            answer.withBody(response.body());
        }
        ValidationReport report = validator.validate(request.build(), answer.build());
        List<String> problems = new ArrayList<>();
        for (ValidationReport.Message message : report.getMessages()) {
            if (message.getLevel() == ValidationReport.Level.ERROR) {
                problems.add(message.getKey() + ": " + message.getMessage());
            }
        }
        return problems;
    }

    private static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
