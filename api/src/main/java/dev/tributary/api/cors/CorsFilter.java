package dev.tributary.api.cors;

import dev.tributary.api.problem.ApiProblem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

import java.net.URI;

/**
 * Restrictive CORS: preflights ({@code OPTIONS} with {@code Origin} and
 * {@code Access-Control-Request-Method}) are answered for configured origins only,
 * and only those origins see {@code Access-Control-Allow-Origin} on responses —
 * echoed, never {@code *}, never with credentials (clients send bearer tokens,
 * not cookies). A request from any other browser origin is refused with a 403
 * problem before anything else runs, not only left unreadable by the browser: a
 * "simple" cross-origin request needs no preflight, and would otherwise be executed.
 * Requests without {@code Origin} (API clients, providers' webhooks) and same-origin
 * requests (the {@code Origin}'s host and port are the {@code Host} header) pass.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CorsFilter implements Ordered {

    private static final String ALLOWED_METHODS = "GET, POST, PATCH, DELETE";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-Tenant-ID, Idempotency-Key, X-Request-ID";
    private static final String EXPOSED_HEADERS = "X-Request-ID, Location, Retry-After, Idempotent-Replayed";

    private final CorsConfiguration configuration;

    public CorsFilter(CorsConfiguration configuration) {
        this.configuration = configuration;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> refuseForeignOriginsAndAnswerPreflights(HttpRequest<?> request) {
        String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
        if (request.getMethod() != HttpMethod.OPTIONS) {
            if (origin != null && !sameOrigin(request, origin) && !configuration.allows(origin)) {
                throw foreignOrigin();
            }
            return null;
        }
        if (origin == null || !request.getHeaders().contains(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD)) {
            throw ApiProblem.forbidden("Only CORS preflights are answered to OPTIONS");
        }
        if (!configuration.allows(origin)) {
            throw foreignOrigin();
        }
        return HttpResponse.noContent()
                .header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                .header(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS)
                .header(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
                .header(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "600")
                .header(HttpHeaders.VARY, HttpHeaders.ORIGIN);
    }

    private static ApiProblem foreignOrigin() {
        return new ApiProblem(HttpStatus.FORBIDDEN, "origin_not_allowed",
                "Cross-origin requests from this origin are not allowed");
    }

    private static boolean sameOrigin(HttpRequest<?> request, String origin) {
        String host = request.getHeaders().get(HttpHeaders.HOST);
        try {
            String authority = URI.create(origin).getRawAuthority();
            return host != null && authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @ResponseFilter
    public void allowOrigin(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
        if (configuration.allows(origin) && !response.getHeaders().contains(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)) {
            response.header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .header(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS)
                    .header(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        }
    }

    @Override
    public int getOrder() {
        // After the request id is assigned, before anything that needs credentials.
        return ServerFilterPhase.FIRST.after();
    }
}
