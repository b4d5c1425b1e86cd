package dev.tributary.connector.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tributary.connector.StrictUtf8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * A JSON value parsed once into a small tree, in canonical form: object members
 * sorted by name at every depth (the last of a repeated name kept), no
 * insignificant whitespace, numbers and strings exactly as the source wrote them.
 * The same content in another key order or layout gives the same canonical bytes,
 * so their SHA-256 is change detection's fingerprint. (PostgreSQL's jsonb keeps
 * neither key order nor repeated names either, so storing the canonical text
 * loses nothing the stored payload would have kept.)
 *
 * <p>Strings and member names lose the characters jsonb cannot hold — NUL ({@code \u0000})
 * and half of a surrogate pair without its other half — as they are read: a record or a
 * signed webhook carrying one is stored without it instead of failing its whole write.
 * Everything else of the text is kept exactly.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    /** A parsed value: an object, an array, or a scalar. */
    public sealed interface Value permits Members, Elements, Scalar {
    }

    /** An object: names sorted, each once. */
    public record Members(String[] names, Value[] values) implements Value {
    }

    public record Elements(List<Value> values) implements Value {
    }

    /** A string, number (its text exactly as written), boolean ("true"/"false") or null (no text). */
    public record Scalar(JsonToken token, String text) implements Value {
    }

    /** Parses a whole JSON text; throws when it is not exactly one JSON value. */
    public static Value parse(String json) throws IOException {
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

    /**
     * Parses a whole JSON document given as UTF-8 bytes (a webhook body as received); throws when
     * it is not exactly one JSON value or not valid UTF-8. {@link StrictUtf8}, not Jackson, reads
     * the bytes: it also refuses overlong forms and lone encoded surrogates, which Jackson decodes.
     */
    public static Value parse(byte[] json) throws IOException {
        String text;
        try {
            text = StrictUtf8.decode(json);
        } catch (CharacterCodingException e) {
            throw new IOException("the document is not valid UTF-8", e);
        }
        return parse(text);
    }

    /** Reads the value that starts at the parser's current token, leaving the parser on its last token. */
    public static Value read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            List<String> names = new ArrayList<>();
            List<Value> values = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                names.add(storable(parser.currentName()));
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
        if (token == JsonToken.VALUE_STRING) {
            return new Scalar(token, storable(parser.getText()));
        }
        return new Scalar(token, token == JsonToken.VALUE_NULL ? null : parser.getText());
    }

    /** The text without NUL and unpaired surrogates, which PostgreSQL's jsonb refuses; usually the text itself. */
    private static String storable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || Character.isSurrogate(c)) {
                return dropUnstorable(text, i);
            }
        }
        return text;
    }

    private static String dropUnstorable(String text, int from) {
        StringBuilder kept = new StringBuilder(text.length()).append(text, 0, from);
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                kept.append(c).append(text.charAt(++i));
            } else if (c != 0 && !Character.isSurrogate(c)) {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    /** The same object without the named top-level members; any other value as it is. */
    public static Value without(Value value, Set<String> names) {
        if (names.isEmpty() || !(value instanceof Members members)) {
            return value;
        }
        List<String> keptNames = new ArrayList<>(members.names().length);
        List<Value> keptValues = new ArrayList<>(members.names().length);
        for (int i = 0; i < members.names().length; i++) {
            if (!names.contains(members.names()[i])) {
                keptNames.add(members.names()[i]);
                keptValues.add(members.values()[i]);
            }
        }
        return new Members(keptNames.toArray(String[]::new), keptValues.toArray(Value[]::new));
    }

    /**
     * The text of the scalar at a JSON pointer ({@code /a/0/b}), or null when the
     * pointer leads nowhere, to a container, or to a JSON null.
     */
    public static String scalarAt(Value value, String pointer) {
        return valueAt(value, pointer) instanceof Scalar scalar ? scalar.text() : null;
    }

    /** The text of the non-empty JSON string at a pointer, or null when there is none (or a number, a container…). */
    public static String stringAt(Value value, String pointer) {
        return valueAt(value, pointer) instanceof Scalar scalar && scalar.token() == JsonToken.VALUE_STRING
                && !scalar.text().isEmpty() ? scalar.text() : null;
    }

    /** The value at a JSON pointer ({@code /a/0/b}; {@code ""} is the value itself), or null when there is none. */
    public static Value valueAt(Value value, String pointer) {
        if (pointer.isEmpty()) {
            return value;
        }
        Value at = value;
        for (String encoded : pointer.substring(1).split("/", -1)) {
            String segment = encoded.replace("~1", "/").replace("~0", "~");
            if (at instanceof Members members) {
                int index = Arrays.binarySearch(members.names(), segment);
                at = index >= 0 ? members.values()[index] : null;
            } else if (at instanceof Elements elements && segment.matches("\\d{1,9}")
                    && Integer.parseInt(segment) < elements.values().size()) {
                at = elements.values().get(Integer.parseInt(segment));
            } else {
                return null;
            }
        }
        return at;
    }

    /** A value's canonical JSON text and the SHA-256 of its UTF-8 bytes: the content hash. */
    public record Text(String json, byte[] sha256) {
    }

    /** Renders a value once into a per-thread buffer, then decodes and hashes those bytes. */
    public static Text text(Value value) {
        Rendering rendering = RENDERING.get();
        rendering.buffer.reset();
        try (JsonGenerator generator = JsonDocumentReader.FACTORY.createGenerator(rendering.buffer, JsonEncoding.UTF8)) {
            write(value, generator);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        Text text = new Text(rendering.buffer.toString(StandardCharsets.UTF_8), rendering.buffer.sha256(rendering.digest));
        if (rendering.buffer.capacity() > MAX_KEPT_BUFFER) {
            RENDERING.remove(); // one huge record does not pin its buffer to the thread
        }
        return text;
    }

    /** The canonical form of a JSON text. */
    public static String canonical(String json) throws IOException {
        return text(parse(json)).json();
    }

    private static final int MAX_KEPT_BUFFER = 1 << 20;

    private static final ThreadLocal<Rendering> RENDERING = ThreadLocal.withInitial(Rendering::new);

    /** A thread's reusable output buffer and digest: rendering allocates only the text it returns. */
    private static final class Rendering {
        final Buffer buffer = new Buffer();
        final MessageDigest digest = sha256();
    }

    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(4096);
        }

        int capacity() {
            return buf.length;
        }

        byte[] sha256(MessageDigest digest) {
            digest.update(buf, 0, count);
            return digest.digest();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
}
