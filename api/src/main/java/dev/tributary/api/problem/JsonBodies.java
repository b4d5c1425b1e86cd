package dev.tributary.api.problem;

import dev.tributary.connector.StrictUtf8;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.config.SerdeConfiguration;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;

/**
 * Reads request bodies into records by the input rules (README "Input rules"): the bytes
 * must be UTF-8 (invalid sequences are refused, never replaced), the text strict JSON
 * whose every value fits its member ({@link StrictJsonReader}); only then is it bound.
 * Every refusal is a 400 problem naming the field at fault where there is one.
 * Controllers take the body as {@code byte[]} and hand it here, because the framework's
 * own binding decodes leniently, coerces between types and reports only a line and column.
 */
@Singleton
public class JsonBodies {

    private final JsonMapper mapper;
    private final StrictJsonReader reader;

    public JsonBodies(JsonMapper mapper, SerdeConfiguration serde) {
        this.mapper = mapper;
        this.reader = new StrictJsonReader(serde.getPropertyNamingStrategy());
    }

    /** The body as {@code type}, or a 400 {@link ApiProblem}; an absent or blank body is {@code body_missing}. */
    public <T> T read(@Nullable byte[] body, Class<T> type) {
        return read(text(body), type);
    }

    /** The same, for a body already decoded. */
    public <T> T read(@Nullable String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw ApiProblem.badRequest("body_missing", "A JSON request body is required");
        }
        Argument<T> argument = Argument.of(type);
        reader.check(body, argument);
        try {
            return mapper.readValue(body, argument);
        } catch (IOException e) {
            // The strict reader admitted it, so the binder's objection is to a value's form (a time, an id).
            throw ApiProblem.badRequest("invalid_request", "The request body does not fit this endpoint");
        }
    }

    /** The body's text: strict UTF-8, so no byte is silently replaced; null stays null. */
    public static String text(@Nullable byte[] body) {
        if (body == null) {
            return null;
        }
        try {
            return StrictUtf8.decode(body);
        } catch (CharacterCodingException e) {
            throw ApiProblem.badRequest("invalid_encoding", "The request body is not valid UTF-8");
        }
    }
}
