package dev.tributary.api.problem;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** Hands an {@link ApiProblem} to the one error mapper, with its status and headers. */
@Produces
@Singleton
public class ApiProblemHandler implements ExceptionHandler<ApiProblem, HttpResponse<?>> {

    private final ErrorResponseProcessor<?> processor;

    public ApiProblemHandler(ErrorResponseProcessor<?> processor) {
        this.processor = processor;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, ApiProblem problem) {
        MutableHttpResponse<?> response = HttpResponse.status(problem.status());
        problem.headers().forEach(response::header);
        return processor.processResponse(ErrorContext.builder(request).cause(problem)
                .errorMessage(problem.getMessage()).build(), response);
    }
}
