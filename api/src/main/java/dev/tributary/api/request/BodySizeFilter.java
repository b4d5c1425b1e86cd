package dev.tributary.api.request;

import dev.tributary.api.problem.ApiProblem;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.http.server.HttpServerConfiguration;

/**
 * Refuses a declared body over {@code micronaut.server.max-request-size} (1 MB) with
 * 413 before anything else looks at the request — before authentication, before a
 * byte of the body is read. Bodies without a Content-Length (chunked) are cut off
 * by the server at the same limit while they are read.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class BodySizeFilter implements Ordered {

    private final long maxBytes;

    public BodySizeFilter(HttpServerConfiguration configuration) {
        this.maxBytes = configuration.getMaxRequestSize();
    }

    @RequestFilter
    public void refuseOversizedBody(HttpRequest<?> request) {
        long declared = request.getContentLength();
        if (declared > maxBytes) {
            throw new ApiProblem(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                    "The request body is larger than " + maxBytes + " bytes");
        }
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.after();
    }
}
