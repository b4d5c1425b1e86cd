package dev.tributary.api.problem;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.netty.handler.codec.compression.DecompressionException;
import jakarta.inject.Singleton;

/**
 * A body that does not decode by its {@code Content-Encoding} (or a compressed
 * {@code Transfer-Encoding}): the server decompresses gzip, deflate and snappy bodies before
 * anyone reads them, and bytes that are not what the header says are the caller's error, a 400
 * {@code invalid_encoding} like a body that is not UTF-8, not a 500.
 */
@Produces
@Singleton
public class UndecodableBodyHandler implements ExceptionHandler<DecompressionException, HttpResponse<?>> {

    private final ApiProblemHandler problems;

    public UndecodableBodyHandler(ApiProblemHandler problems) {
        this.problems = problems;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, DecompressionException exception) {
        return problems.handle(request, ApiProblem.badRequest("invalid_encoding",
                "The request body does not decode as its Content-Encoding (or Transfer-Encoding) says"));
    }
}
