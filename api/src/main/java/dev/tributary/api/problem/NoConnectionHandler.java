package dev.tributary.api.problem;

import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No database connection within the pool's timeout (the node is overloaded, or the
 * database is away): 503 with {@code Retry-After}, which clients and load balancers
 * retry, rather than a 500. Nothing was changed; the cause is logged with the request id.
 */
@Produces
@Singleton
public class NoConnectionHandler implements ExceptionHandler<CannotGetJdbcConnectionException, HttpResponse<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(NoConnectionHandler.class);
    static final String RETRY_AFTER_SECONDS = "1";

    private final ErrorResponseProcessor<?> processor;

    public NoConnectionHandler(ErrorResponseProcessor<?> processor) {
        this.processor = processor;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, CannotGetJdbcConnectionException exception) {
        LOG.warn("No database connection for {} {}: {}", request.getMethod(), request.getPath(),
                exception.getCause() == null ? exception.getMessage() : exception.getCause().getMessage());
        MutableHttpResponse<?> response = HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", RETRY_AFTER_SECONDS);
        return processor.processResponse(ErrorContext.builder(request).cause(exception).build(), response);
    }
}
