package dev.tributary.connector.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The elements of one array inside a JSON document of any size, one at a time, each
 * parsed once into its {@link CanonicalJson} tree: the parser skips everything
 * before the array at {@code arrayPointer} ({@code ""} for a root array) and never
 * holds more than one element.
 */
public final class JsonArrayStream implements AutoCloseable {

    private final JsonParser parser;

    public JsonArrayStream(InputStream in, String arrayPointer) throws IOException {
        this.parser = JsonDocumentReader.FACTORY.createParser(in);
        if (parser.nextToken() == null || !descend(arrayPointer.isEmpty() ? new String[0]
                : arrayPointer.substring(1).split("/"), 0)) {
            throw new IOException("no array at " + (arrayPointer.isEmpty() ? "the root" : arrayPointer));
        }
    }

    /** The next element, or empty at the end of the array. */
    public Optional<CanonicalJson.Value> next() throws IOException {
        if (parser.nextToken() == JsonToken.END_ARRAY) {
            return Optional.empty();
        }
        return Optional.of(CanonicalJson.read(parser));
    }

    /** Moves the parser onto the START_ARRAY at the pointer's segments. */
    private boolean descend(String[] segments, int depth) throws IOException {
        JsonToken token = parser.currentToken();
        if (depth == segments.length) {
            return token == JsonToken.START_ARRAY;
        }
        String segment = segments[depth].replace("~1", "/").replace("~0", "~");
        if (token == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals(segment)) {
                    return descend(segments, depth + 1);
                }
                parser.skipChildren();
            }
        } else if (token == JsonToken.START_ARRAY && segment.matches("\\d+")) {
            int wanted = Integer.parseInt(segment);
            for (int index = 0; parser.nextToken() != JsonToken.END_ARRAY; index++) {
                if (index == wanted) {
                    return descend(segments, depth + 1);
                }
                parser.skipChildren();
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
