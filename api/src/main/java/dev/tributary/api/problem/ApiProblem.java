package dev.tributary.api.problem;

import dev.tributary.connector.Identifiers;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;

import java.util.List;
import java.util.Map;

/**
 * A refusal we decide ourselves: status, stable {@code code}, a detail safe to
 * show the caller, optional field errors and response headers. Thrown from
 * filters and controllers alike; {@link ApiProblemHandler} renders it.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final List<ProblemDetails.FieldError> errors;
    private final Map<String, String> headers;

    public ApiProblem(HttpStatus status, String code, String detail) {
        this(status, code, detail, List.of(), Map.of());
    }

    public ApiProblem(HttpStatus status, String code, String detail, List<ProblemDetails.FieldError> errors,
                      Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(HttpStatus.UNAUTHORIZED, "unauthorized", detail, List.of(),
                Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", detail);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "not_found", detail);
    }

    public static ApiProblem badRequest(String code, String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, code, detail);
    }

    public static ApiProblem invalidField(String field, String message) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_request", field + ": " + message,
                List.of(new ProblemDetails.FieldError(field, message)), Map.of());
    }

    /**
     * Refuses an {@code app_key} or {@code collection} that is not an identifier ({@link Identifiers}),
     * naming {@code field}; null passes (an optional filter; a required one says so itself).
     */
    public static void requireValidKey(String field, @Nullable String value) {
        if (value != null && !Identifiers.isValidKey(value)) {
            throw invalidField(field, "must match " + Identifiers.KEY.pattern());
        }
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<ProblemDetails.FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
