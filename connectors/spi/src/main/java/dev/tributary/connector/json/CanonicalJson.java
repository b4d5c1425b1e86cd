package dev.tributary.scheduler.engine;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tributary.connector.json.JsonDocumentReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Change detection's fingerprint: SHA-256 over the UTF-8 bytes of a payload's
 * canonical JSON — object keys sorted at every depth, no insignificant whitespace,
 * numbers and strings exactly as the source wrote them — so the same content in
 * another key order hashes the same. Computed in Java, beside the write: one parse
 * into a small tree, then written once, straight into the digest.
 */
public final class ContentHash {

    private ContentHash() {
    }

    /** The canonical hash of a JSON text; throws when it is not JSON. */
    public static byte[] of(String json) throws IOException {
        MessageDigest digest = sha256();
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            write(parse(json), out);
        }
        return digest.digest();
    }

    /** The canonical form of a JSON text. */
    public static String canonical(String json) throws IOException {
        var out = new ByteArrayOutputStream(json.length());
        write(parse(json), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A parsed value: an object (its members sorted by name, the last of a repeated name kept), an array, or a scalar. */
    private sealed interface Value permits Members, Elements, Scalar {
    }

    private record Members(String[] names, Value[] values) implements Value {
    }

    private record Elements(List<Value> values) implements Value {
    }

    /** A string, number (its text exactly as written), boolean or null. */
    private record Scalar(JsonToken token, String text) implements Value {
    }

    private static Value parse(String json) throws IOException {
        try (JsonParser parser = JsonDocumentReader.FACTORY.createParser(json)) {
            if (parser.nextToken() == null) {
                throw new IOException("empty JSON");
            }
            Value value = read(parser);
            if (parser.nextToken() != null) {
                throw new IOException("trailing content after the JSON value");
            }
            return value;
        }
    }

    private static Value read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            List<String> names = new ArrayList<>();
            List<Value> values = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                names.add(parser.currentName());
                parser.nextToken();
                values.add(read(parser));
            }
            return sorted(names, values);
        }
        if (token == JsonToken.START_ARRAY) {
            List<Value> values = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                values.add(read(parser));
            }
            return new Elements(values);
        }
        return new Scalar(token, token == JsonToken.VALUE_STRING || token.isNumeric() ? parser.getText() : null);
    }

    private static Members sorted(List<String> names, List<Value> values) {
        Integer[] order = new Integer[names.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(names::get)); // stable: a repeated name keeps its input order
        List<String> sortedNames = new ArrayList<>(order.length);
        List<Value> sortedValues = new ArrayList<>(order.length);
        for (int i = 0; i < order.length; i++) {
            String name = names.get(order[i]);
            if (i + 1 < order.length && names.get(order[i + 1]).equals(name)) {
                continue; // a later member of the same name wins
            }
            sortedNames.add(name);
            sortedValues.add(values.get(order[i]));
        }
        return new Members(sortedNames.toArray(String[]::new), sortedValues.toArray(Value[]::new));
    }

    private static void write(Value value, OutputStream out) throws IOException {
        try (JsonGenerator generator = JsonDocumentReader.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            write(value, generator);
        }
    }

    private static void write(Value value, JsonGenerator generator) throws IOException {
        if (value instanceof Members members) {
            generator.writeStartObject();
            for (int i = 0; i < members.names().length; i++) {
                generator.writeFieldName(members.names()[i]);
                write(members.values()[i], generator);
            }
            generator.writeEndObject();
        } else if (value instanceof Elements elements) {
            generator.writeStartArray();
            for (Value element : elements.values()) {
                write(element, generator);
            }
            generator.writeEndArray();
        } else {
            Scalar scalar = (Scalar) value;
            switch (scalar.token()) {
                case VALUE_STRING -> generator.writeString(scalar.text());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(scalar.text());
                case VALUE_TRUE -> generator.writeBoolean(true);
                case VALUE_FALSE -> generator.writeBoolean(false);
                default -> generator.writeNull();
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
