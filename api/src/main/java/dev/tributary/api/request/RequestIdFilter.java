package dev.tributary.api.request;

import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code X-Request-ID} when it is a sane
 * token, otherwise a new UUID. The id is in the logs (MDC {@code request_id}),
 * in every problem response, and echoed in the response header.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestIdFilter implements Ordered {

    public static final String HEADER = "X-Request-ID";

    private static final String ATTRIBUTE = "tributary.request_id";
    private static final Pattern ACCEPTED = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");

    /** The id of a request that passed this filter; a fresh one for any other. */
    public static String requestId(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, String.class).orElseGet(() -> assign(request));
    }

    @RequestFilter
    public void assignRequestId(HttpRequest<?> request, MutablePropagatedContext propagatedContext) {
        LogContext.put(request, propagatedContext, "request_id", requestId(request));
    }

    @ResponseFilter
    public void echoRequestId(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.header(HEADER, requestId(request));
    }

    @Override
    public int getOrder() {
        // Before everything else, so even requests refused by later filters carry an id.
        return ServerFilterPhase.FIRST.before();
    }

    private static String assign(HttpRequest<?> request) {
        String offered = request.getHeaders().get(HEADER);
        String id = offered != null && ACCEPTED.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        return id;
    }
}
