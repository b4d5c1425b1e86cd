package dev.tributary.connector;

import com.fasterxml.jackson.core.JsonToken;
import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.json.CanonicalJson;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How a source record's payload becomes a target's body: each top-level target field takes the value at a
 * JSON pointer into the source ({@code "email": "/email"}, {@code "city": "/address/city"}) or a constant
 * ({@code "role": {"const": "user"}}). A pointer that finds nothing, or a JSON null, leaves its field out, so
 * a sparse source does not blank the target's fields. The body is canonical JSON ({@link CanonicalJson}):
 * equal input gives byte-identical output, whose hash tells the push engine whether a record changed.
 * {@link #NONE} sends the payload as it is.
 *
 * @param fields target field name → where its value comes from, sorted by name
 */
public record FieldMapping(SortedMap<String, Source> fields) {

    /** No mapping: the body is the source payload itself, canonical. */
    public static final FieldMapping NONE = new FieldMapping(new TreeMap<>());

    /** Where a target field's value comes from. */
    public sealed interface Source permits Pointer, Constant {
    }

    /** The value at an RFC 6901 JSON pointer into the source payload ({@code /a/0/b}, {@code ~1} for "/", {@code ~0} for "~"). */
    public record Pointer(String pointer) implements Source {
    }

    /** A constant: a plain JSON value (String, Number, Boolean, List, Map or null), immutable. */
    public record Constant(Object value) implements Source {
    }

    private static final String CONST = "const";

    public FieldMapping {
        fields = Collections.unmodifiableSortedMap(new TreeMap<>(fields));
    }

    /**
     * Reads a mapping as a JSON object deserializes: a map of target field → pointer string or {@code {"const": value}}.
     *
     * @param field where the mapping came from ({@code field_mapping}, {@code field_mappings.intercom_contact}),
     *              prefixed to the name of the entry a refusal is about
     * @throws ConfigInvalid naming the first bad entry; an empty mapping is refused too (it would send {@code {}})
     */
    public static FieldMapping parse(Object mapping, String field) throws ConfigInvalid {
        if (!(mapping instanceof Map<?, ?> entries)) {
            throw new ConfigInvalid(field, field + " must be a JSON object of target field → JSON pointer (\"/…\")"
                    + " or {\"const\": value}");
        }
        if (entries.isEmpty()) {
            throw new ConfigInvalid(field, field + " must map at least one target field");
        }
        SortedMap<String, Source> fields = new TreeMap<>();
        for (var entry : entries.entrySet()) {
            if (!(entry.getKey() instanceof String name) || name.isEmpty()) {
                throw new ConfigInvalid(field, field + " has an empty target field name");
            }
            fields.put(name, source(entry.getValue(), field + "." + name));
        }
        return new FieldMapping(fields);
    }

    /**
     * The target's body for a source payload, as canonical JSON text.
     *
     * @throws ConnectorException.Rejected when the payload is not a JSON object
     */
    public String apply(String sourceJson) throws ConnectorException.Rejected {
        return applyText(sourceJson).json();
    }

    /** {@link #apply}'s body with the SHA-256 of its bytes: the content hash delta pushes compare. */
    public CanonicalJson.Text applyText(String sourceJson) throws ConnectorException.Rejected {
        CanonicalJson.Value source;
        try {
            source = CanonicalJson.parse(sourceJson);
        } catch (IOException e) {
            throw new ConnectorException.Rejected("the source payload is not JSON: " + ConnectorException.describe(e));
        }
        if (!(source instanceof CanonicalJson.Members)) {
            throw new ConnectorException.Rejected("the source payload is not a JSON object");
        }
        if (fields.isEmpty()) {
            return CanonicalJson.text(source);
        }
        List<String> names = new ArrayList<>(fields.size());
        List<CanonicalJson.Value> values = new ArrayList<>(fields.size());
        for (var entry : fields.entrySet()) {
            CanonicalJson.Value value = entry.getValue() instanceof Pointer pointer
                    ? CanonicalJson.valueAt(source, pointer.pointer())
                    : json(((Constant) entry.getValue()).value());
            boolean absent = value == null || entry.getValue() instanceof Pointer
                    && value instanceof CanonicalJson.Scalar scalar && scalar.token() == JsonToken.VALUE_NULL;
            if (!absent) {
                names.add(entry.getKey());
                values.add(value);
            }
        }
        return CanonicalJson.text(new CanonicalJson.Members(names.toArray(String[]::new),
                values.toArray(CanonicalJson.Value[]::new)));
    }

    /** The mapping in {@link #parse}'s syntax, to store as JSON and show: {@code parse(asMap(), f)} equals it. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        fields.forEach((name, source) -> map.put(name, source instanceof Pointer pointer ? pointer.pointer()
                : Collections.singletonMap(CONST, ((Constant) source).value())));
        return Collections.unmodifiableMap(map);
    }

    private static Source source(Object value, String field) throws ConfigInvalid {
        if (value instanceof String pointer && pointer.startsWith("/")) {
            return new Pointer(AppSettings.requireJsonPointer(pointer, field));
        }
        if (value instanceof Map<?, ?> object && object.size() == 1 && object.containsKey(CONST)) {
            return new Constant(plain(object.get(CONST), field + "." + CONST));
        }
        throw new ConfigInvalid(field, field + " must be a JSON pointer (\"/…\") or {\"const\": value}");
    }

    /** An immutable copy of a plain JSON value, refusing what JSON cannot hold (NaN, infinities, other types). */
    private static Object plain(Object value, String field) throws ConfigInvalid {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Double || value instanceof Float) {
            if (!Double.isFinite(((Number) value).doubleValue())) {
                throw new ConfigInvalid(field, field + " must be a finite number");
            }
            return value;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(plain(list.get(i), field + "[" + i + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (var entry : map.entrySet()) {
                String name = String.valueOf(entry.getKey());
                copy.put(name, plain(entry.getValue(), field + "." + name));
            }
            return Collections.unmodifiableMap(copy);
        }
        throw new ConfigInvalid(field, field + " must be a JSON value");
    }

    /** A plain JSON value as a canonical tree (object members sorted, numbers as Java writes them). */
    private static CanonicalJson.Value json(Object value) {
        if (value == null) {
            return new CanonicalJson.Scalar(JsonToken.VALUE_NULL, null);
        }
        if (value instanceof String text) {
            return new CanonicalJson.Scalar(JsonToken.VALUE_STRING, text);
        }
        if (value instanceof Boolean flag) {
            return new CanonicalJson.Scalar(flag ? JsonToken.VALUE_TRUE : JsonToken.VALUE_FALSE, flag.toString());
        }
        if (value instanceof Number number) {
            String text = number.toString();
            boolean whole = !text.contains(".") && !text.contains("E") && !text.contains("e");
            return new CanonicalJson.Scalar(whole ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT, text);
        }
        if (value instanceof List<?> list) {
            return new CanonicalJson.Elements(list.stream().map(FieldMapping::json).toList());
        }
        SortedMap<String, CanonicalJson.Value> members = new TreeMap<>();
        ((Map<?, ?>) value).forEach((name, member) -> members.put((String) name, json(member)));
        return new CanonicalJson.Members(members.keySet().toArray(String[]::new),
                members.values().toArray(CanonicalJson.Value[]::new));
    }
}
