package dev.tributary.api.problem;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds which field of a JSON body a decoding error points at. The deserializer
 * reports only a line and column ("expected START_ARRAY at line 1, column 26");
 * walking the body up to that spot tells the caller which field to fix.
 */
final class JsonFieldLocator {

    private static final Pattern LOCATION = Pattern.compile("line: (\\d+), column: (\\d+)");
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonFieldLocator() {
    }

    /** The dotted path of the field at the location an error message names, e.g. {@code filters.status}. */
    static Optional<String> fieldAt(String body, String errorMessage) {
        Matcher location = LOCATION.matcher(errorMessage);
        if (body == null || !location.find()) {
            return Optional.empty();
        }
        int line = Integer.parseInt(location.group(1));
        int column = Integer.parseInt(location.group(2));
        try (JsonParser parser = FACTORY.createParser(body)) {
            String field = null;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                var at = parser.currentTokenLocation();
                if (at.getLineNr() > line || (at.getLineNr() == line && at.getColumnNr() >= column)) {
                    break;
                }
                if (token == JsonToken.FIELD_NAME) {
                    field = path(parser);
                }
            }
            return Optional.ofNullable(field);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String path(JsonParser parser) {
        StringBuilder path = new StringBuilder();
        for (var context = parser.getParsingContext(); context != null; context = context.getParent()) {
            if (context.getCurrentName() != null) {
                path.insert(0, path.isEmpty() ? context.getCurrentName() : context.getCurrentName() + ".");
            }
        }
        return path.toString();
    }
}
