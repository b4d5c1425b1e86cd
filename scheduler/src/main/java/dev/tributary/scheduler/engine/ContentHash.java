package dev.tributary.scheduler.engine;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tributary.connector.json.JsonDocumentReader;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Change detection's fingerprint: SHA-256 over the UTF-8 bytes of a payload's
 * canonical JSON — object keys sorted at every depth, no insignificant whitespace,
 * numbers and strings exactly as the source wrote them — so the same content in
 * another key order hashes the same. Computed in Java, beside the write.
 */
public final class ContentHash {

    private ContentHash() {
    }

    /** The canonical hash of a JSON text; throws when it is not JSON. */
    public static byte[] of(String json) throws IOException {
        return sha256(canonical(json));
    }

    /** The canonical form of a JSON text. */
    public static String canonical(String json) throws IOException {
        try (JsonParser parser = JsonDocumentReader.FACTORY.createParser(json)) {
            if (parser.nextToken() == null) {
                throw new IOException("empty JSON");
            }
            String canonical = render(parser);
            if (parser.nextToken() != null) {
                throw new IOException("trailing content after the JSON value");
            }
            return canonical;
        }
    }

    private static String render(JsonParser parser) throws IOException {
        var out = new StringWriter();
        try (JsonGenerator generator = JsonDocumentReader.FACTORY.createGenerator(out)) {
            write(parser, generator);
        }
        return out.toString();
    }

    private static void write(JsonParser parser, JsonGenerator generator) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, String> fields = new TreeMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                fields.put(name, render(parser));
            }
            generator.writeStartObject();
            for (var field : fields.entrySet()) {
                generator.writeFieldName(field.getKey());
                generator.writeRawValue(field.getValue());
            }
            generator.writeEndObject();
        } else if (token == JsonToken.START_ARRAY) {
            generator.writeStartArray();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                write(parser, generator);
            }
            generator.writeEndArray();
        } else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            generator.writeNumber(parser.getText());
        } else {
            generator.copyCurrentEvent(parser);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
