package dev.tributary.api.request;

import io.micronaut.core.annotation.Nullable;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An id in a request (path, query or body) that must be a UUID: only its canonical text form, 8-4-4-4-12 hex
 * digits, counts — {@link UUID#fromString} would also take {@code 1-1-1-1-1}, an id no one was ever given.
 */
public final class UuidText {

    private static final Pattern CANONICAL = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private UuidText() {
    }

    /** The UUID {@code text} spells, or empty when it spells none (null included). */
    public static Optional<UUID> parse(@Nullable String text) {
        return text != null && CANONICAL.matcher(text).matches() ? Optional.of(UUID.fromString(text))
                : Optional.empty();
    }
}
