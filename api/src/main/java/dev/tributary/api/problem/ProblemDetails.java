package dev.tributary.api.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * An RFC 9457 problem: {@code type, title, status, detail} plus our extension
 * members {@code code} (stable, machine-readable), {@code request_id}, and for
 * validation failures {@code errors} naming each bad field.
 */
@Schema(name = "Problem", description = "An RFC 9457 problem, as every error is answered.")
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProblemDetails(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "urn:tributary:problem:not_found",
                description = "`urn:tributary:problem:` and the code") String type,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Not Found",
                description = "the status's reason phrase") String title,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "400", maximum = "599") int status,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "what went wrong, for people; a 5xx"
                + " never says more than its reason") String detail,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "not_found",
                description = "stable and machine-readable (the README lists them by status)") String code,
        @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = false,
                description = "the request's id, as in its X-Request-ID header and the logs") String requestId,
        @Nullable @Schema(nullable = false, description = "each field refused, for `invalid_request`")
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @Schema(name = "FieldError")
    @Serdeable
    public record FieldError(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "schedule.timezone",
                    description = "the member's dotted path (or the parameter's name)") String field,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String message) {
    }
}
