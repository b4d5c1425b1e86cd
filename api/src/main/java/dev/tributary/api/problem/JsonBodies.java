package dev.tributary.api.problem;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.exceptions.SerdeException;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads request bodies into records so that every refusal names the field at
 * fault: an unknown field, or a field of the wrong type ("roles: must be a
 * JSON array"). Controllers take the body as a String and hand it here, because
 * the framework's own binding reports only a line and column.
 */
@Singleton
public class JsonBodies {

    private static final Pattern UNKNOWN_PROPERTY = Pattern.compile("Unknown property \\[([^\\]]+)\\]");

    private final JsonMapper mapper;

    public JsonBodies(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw ApiProblem.badRequest("body_missing", "A JSON request body is required");
        }
        try {
            return mapper.readValue(body, Argument.of(type));
        } catch (SerdeException e) {
            throw shapeProblem(body, e);
        } catch (IOException e) {
            // Not JSON at all: the same answer the framework gives for unparsable bodies.
            throw ApiProblem.badRequest("malformed_json", "The request body is not valid JSON");
        }
    }

    private static ApiProblem shapeProblem(String body, SerdeException error) {
        String message = String.valueOf(error.getMessage());
        Matcher unknown = UNKNOWN_PROPERTY.matcher(message);
        if (unknown.find()) {
            return field(unknown.group(1), "is not a field of this request");
        }
        return JsonFieldLocator.fieldAt(body, message)
                .map(field -> field(field, "has the wrong type"))
                .orElseGet(() -> message.contains("line:")
                        ? ApiProblem.badRequest("invalid_request", "The request body does not fit this endpoint")
                        : ApiProblem.badRequest("malformed_json", "The request body is not valid JSON"));
    }

    private static ApiProblem field(String field, String reason) {
        return new ApiProblem(io.micronaut.http.HttpStatus.BAD_REQUEST, "invalid_request", field + ": " + reason,
                List.of(new ProblemDetails.FieldError(field, reason)), Map.of());
    }
}
