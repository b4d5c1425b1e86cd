package dev.tributary.connector.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JSON document as a stream, once: the elements of the array at
 * {@code recordsPointer} come out parsed (as {@link CanonicalJson} trees), and the scalar values at the
 * {@code wanted} JSON pointers (a next cursor, a next URL, a record's id) as
 * strings. Nothing else of the document is kept.
 */
public final class JsonDocumentReader {

    public static final JsonFactory FACTORY = new JsonFactory();

    public record Result(List<CanonicalJson.Value> records, Map<String, String> values) {
    }

    private JsonDocumentReader() {
    }

    public static Result read(InputStream in, String recordsPointer, Set<String> wanted) throws IOException {
        try (JsonParser parser = FACTORY.createParser(in)) {
            return read(parser, recordsPointer, wanted);
        }
    }

    public static Result read(String json, String recordsPointer, Set<String> wanted) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return read(parser, recordsPointer, wanted);
        }
    }

    private static Result read(JsonParser parser, String recordsPointer, Set<String> wanted) throws IOException {
        var result = new Result(new ArrayList<>(), new HashMap<>());
        if (parser.nextToken() != null) {
            walk(parser, "", recordsPointer, wanted, result);
        }
        return result;
    }

    private static void walk(JsonParser parser, String pointer, String recordsPointer, Set<String> wanted,
                             Result result) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_ARRAY && pointer.equals(recordsPointer)) {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                result.records().add(CanonicalJson.read(parser));
            }
        } else if (token == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String child = pointer + "/" + parser.currentName().replace("~", "~0").replace("/", "~1");
                parser.nextToken();
                walk(parser, child, recordsPointer, wanted, result);
            }
        } else if (token == JsonToken.START_ARRAY) {
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                walk(parser, pointer + "/" + index++, recordsPointer, wanted, result);
            }
        } else if (wanted.contains(pointer)) {
            result.values().put(pointer, token == JsonToken.VALUE_NULL ? null : parser.getText());
        }
    }
}
