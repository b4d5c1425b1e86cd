package dev.tributary.api.problem;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.management.endpoint.annotation.Selector;
import jakarta.inject.Singleton;

import java.util.Arrays;
import java.util.UUID;

/**
 * A query value, header or path segment the framework could not convert to its
 * parameter's type ({@code limit=abc}, {@code offset=99999999999999999999},
 * {@code /health/db}). The framework's own answer quotes the conversion error, which
 * names Java classes; ours names the parameter and what it must be. A path segment that
 * does not convert names no resource: 404, as for any unknown path.
 */
@Produces
@Singleton
@Replaces(ConversionErrorHandler.class)
public class ParameterConversionHandler implements ExceptionHandler<ConversionErrorException, HttpResponse<?>> {

    private final ApiProblemHandler problems;

    public ParameterConversionHandler(ApiProblemHandler problems) {
        this.problems = problems;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, ConversionErrorException exception) {
        Argument<?> argument = exception.getArgument();
        var metadata = argument.getAnnotationMetadata();
        if (metadata.hasStereotype(PathVariable.class) || metadata.hasAnnotation(Selector.class)) {
            return problems.handle(request, ApiProblem.notFound("Page Not Found"));
        }
        String name = metadata.stringValue(QueryValue.class)
                .or(() -> metadata.stringValue(Header.class))
                .filter(value -> !value.isBlank())
                .orElse(argument.getName());
        return problems.handle(request, ApiProblem.invalidField(name, expectation(argument.getType())));
    }

    private static String expectation(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "must be an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class) {
            return "must be an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == UUID.class) {
            return "must be a UUID";
        }
        if (type.isEnum()) {
            return "must be one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
                    .map(constant -> ((Enum<?>) constant).name()).toList());
        }
        return "is not in the expected form";
    }
}
