package dev.tributary.api.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * An RFC 9457 problem: {@code type, title, status, detail} plus our extension
 * members {@code code} (stable, machine-readable), {@code request_id}, and for
 * validation failures {@code errors} naming each bad field.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProblemDetails(String type, String title, int status, String detail, String code,
                             @Nullable String requestId, @Nullable List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @Serdeable
    public record FieldError(String field, String message) {
    }
}
