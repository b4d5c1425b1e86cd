package dev.tributary.api.record;

import dev.tributary.connector.StrictUtf8;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a records listing stopped: the listing and the primary key of the last row it returned
 * — collection and external id (the tenant is the caller's). The {@code listing} is what is paged:
 * an app's key for its collection's records, {@link #filterListing filter:<id>} for a saved filter's
 * matches (no key holds a ':', so the two never meet), and a cursor pages only the listing it came
 * from. Clients see it as an opaque token, base64url (no padding) of
 * {@code <listing>/<collection>/<external_id>}; neither the listing nor the collection contains
 * a '/', so the id may. Only a token this class wrote decodes: anything that does not re-encode
 * to itself (padding, stray characters, invalid UTF-8) is refused.
 */
record RecordCursor(String listing, String collection, String afterExternalId) {

    /** The listing of a saved filter's matches. */
    static String filterListing(UUID filterId) {
        return "filter:" + filterId;
    }

    String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (listing + "/" + collection + "/" + afterExternalId).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a token stands for, or empty when the token is not one this class wrote. */
    static Optional<RecordCursor> decode(String token) {
        byte[] bytes;
        String text;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
            text = StrictUtf8.decode(bytes);
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
        String[] parts = text.split("/", 3);
        if (parts.length != 3 || parts[2].isEmpty() || parts[2].indexOf('\0') >= 0) {
            return Optional.empty();
        }
        RecordCursor cursor = new RecordCursor(parts[0], parts[1], parts[2]);
        return cursor.encode().equals(token) ? Optional.of(cursor) : Optional.empty();
    }
}
