package dev.tributary.api.record;

import dev.tributary.api.list.PageRequest;
import dev.tributary.api.list.QueryNames;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.ProblemDetails;
import dev.tributary.api.request.IsoTimestamp;
import dev.tributary.connector.StrictUtf8;
import dev.tributary.db.entity.EntityReader;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpParameters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The query of a records request, checked whole before anything is read: each parameter
 * that is malformed, repeated or unknown is a 400 naming it — a misspelt filter would
 * otherwise widen the listing silently. A saved filter's matches take the same query
 * without {@code modified_after} and {@code ids} ({@link #ofMatches}).
 */
public record RecordQuery(int limit, @Nullable RecordCursor cursor, @Nullable Instant modifiedAfter,
                          boolean includeArchived, List<String> ids) {

    static final int MAX_IDS = 100;
    static final int MAX_ID_LENGTH = 255;
    private static final QueryNames NAMES = QueryNames.of("limit", "cursor", "modified_after", "include_archived", "ids");
    private static final QueryNames MATCHES_NAMES = QueryNames.of("limit", "cursor", "include_archived");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    /** Reads the parameters of a request for the records of {@code appKey}'s {@code collection}. */
    static RecordQuery of(HttpRequest<?> request, String appKey, String collection) {
        return read(request, NAMES, appKey, collection, true);
    }

    /**
     * Reads the parameters of a request for the matches of saved filter {@code filterId}, a filter over
     * {@code collection}: archived records only with {@code include_archived=true}, since what a filter
     * adds to the sync list are its records that are not archived.
     */
    public static RecordQuery ofMatches(HttpRequest<?> request, UUID filterId, String collection) {
        return read(request, MATCHES_NAMES, RecordCursor.filterListing(filterId), collection, false);
    }

    private static RecordQuery read(HttpRequest<?> request, QueryNames names, String listing, String collection,
                                    boolean archivedByDefault) {
        requireUtf8(request.getUri().getRawQuery());
        names.check(request);
        // Parameters the names refused are not there, so they read as absent.
        HttpParameters parameters = request.getParameters();
        return new RecordQuery(limit(parameters.get("limit")),
                cursor(parameters.get("cursor"), listing, collection),
                modifiedAfter(parameters.get("modified_after")),
                includeArchived(parameters.get("include_archived"), archivedByDefault),
                ids(parameters.get("ids")));
    }

    /** Where the page starts: after this external id; null from the first. */
    @Nullable
    public String afterExternalId() {
        return cursor == null ? null : cursor.afterExternalId();
    }

    /**
     * The server decodes an escape that is not UTF-8 (%FF) into U+FFFD, so a query for an id
     * would silently look for another one: such a parameter is refused instead.
     */
    private static void requireUtf8(@Nullable String rawQuery) {
        if (rawQuery == null) {
            return;
        }
        for (String pair : rawQuery.split("&")) {
            String name = pair.substring(0, pair.indexOf('=') < 0 ? pair.length() : pair.indexOf('='));
            if (!isUtf8(pair)) {
                String field = isUtf8(name) ? URLDecoder.decode(name, StandardCharsets.UTF_8) : "query";
                throw ApiProblem.invalidField(field, "must be percent-encoded UTF-8");
            }
        }
    }

    /** Whether a raw query part's bytes, its escapes decoded, are UTF-8. */
    private static boolean isUtf8(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && HexFormat.isHexDigit(raw.charAt(i + 1))
                    && HexFormat.isHexDigit(raw.charAt(i + 2))) {
                bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return StrictUtf8.isValid(bytes.toByteArray());
    }

    EntityReader.Selection selection() {
        return new EntityReader.Selection(afterExternalId(), modifiedAfter, includeArchived, ids);
    }

    /** The limit by every list's rule ({@link PageRequest#limit}); only plain digits are a number here ("+5", "5.0" are not). */
    private static int limit(@Nullable String value) {
        if (value == null) {
            return PageRequest.limit(null);
        }
        // Anything else, or more digits than an int holds, is out of range and refused as such.
        return PageRequest.limit(DIGITS.matcher(value).matches() ? Integer.parseInt(value) : 0);
    }

    private static RecordCursor cursor(@Nullable String token, String listing, String collection) {
        if (token == null) {
            return null;
        }
        RecordCursor cursor = RecordCursor.decode(token).orElseThrow(() -> invalidCursor(
                "is not a cursor this endpoint returned; pass next_cursor exactly as it came"));
        if (!cursor.listing().equals(listing) || !cursor.collection().equals(collection)) {
            throw invalidCursor("belongs to another listing: the records of another app or collection, or the"
                    + " matches of another saved filter");
        }
        return cursor;
    }

    private static ApiProblem invalidCursor(String message) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_cursor", "cursor: " + message,
                List.of(new ProblemDetails.FieldError("cursor", message)), Map.of());
    }

    private static Instant modifiedAfter(@Nullable String value) {
        return value == null ? null : IsoTimestamp.parse("modified_after", value);
    }

    private static boolean includeArchived(@Nullable String value, boolean byDefault) {
        if (value == null) {
            return byDefault;
        }
        if (value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw ApiProblem.invalidField("include_archived", "must be true or false");
    }

    private static List<String> ids(@Nullable String value) {
        if (value == null) {
            return List.of();
        }
        String[] parts = value.split(",", -1);
        if (parts.length > MAX_IDS) {
            throw ApiProblem.invalidField("ids", "at most " + MAX_IDS + " external ids");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String id : parts) {
            if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
                throw ApiProblem.invalidField("ids", "comma-separated external ids, each 1 to " + MAX_ID_LENGTH
                        + " characters");
            }
            ids.add(id);
        }
        return new ArrayList<>(ids);
    }
}
