package dev.tributary.db.filter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain JSON values as a JSON object deserializes into Java (String, Number, Boolean, List, Map with string
 * keys, null): checked and copied immutably, and written back as JSON text to bind as {@code jsonb}.
 */
final class JsonValues {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonValues() {
    }

    /**
     * An immutable copy of {@code value}, refusing what JSON or PostgreSQL's jsonb cannot hold (NaN, the
     * infinities, NUL characters, other types), naming {@code field} and the path below it.
     */
    static Object plain(Object value, String field) {
        if (value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger
                || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof String text) {
            return text(text, field);
        }
        if (value instanceof Double || value instanceof Float) {
            if (!Double.isFinite(((Number) value).doubleValue())) {
                throw new FilterConfig.Invalid(field, "must be a finite number");
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
                if (!(entry.getKey() instanceof String name)) {
                    throw new FilterConfig.Invalid(field, "must be a JSON value");
                }
                String path = field + "." + name;
                copy.put(text(name, path), plain(entry.getValue(), path));
            }
            return Collections.unmodifiableMap(copy);
        }
        throw new FilterConfig.Invalid(field, "must be a JSON value");
    }

    /** A checked JSON number as PostgreSQL's numeric holds it: exactly, as written. */
    static BigDecimal decimal(Number number) {
        if (number instanceof BigDecimal decimal) {
            return decimal;
        }
        if (number instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        if (number instanceof Double || number instanceof Float) {
            // The shortest decimal that reads back as the double: what the client wrote, for the numbers JSON carries.
            return new BigDecimal(number.toString());
        }
        return BigDecimal.valueOf(number.longValue());
    }

    /** A checked plain value as JSON text. */
    static String json(Object value) {
        StringWriter text = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(text)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void write(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof Boolean flag) {
            generator.writeBoolean(flag);
        } else if (value instanceof Number number) {
            generator.writeNumber(decimal(number));
        } else if (value instanceof List<?> list) {
            generator.writeStartArray();
            for (Object element : list) {
                write(generator, element);
            }
            generator.writeEndArray();
        } else {
            generator.writeStartObject();
            for (var entry : ((Map<?, ?>) value).entrySet()) {
                generator.writeFieldName((String) entry.getKey());
                write(generator, entry.getValue());
            }
            generator.writeEndObject();
        }
    }

    private static String text(String value, String field) {
        if (value.indexOf('\0') >= 0) {
            throw new FilterConfig.Invalid(field, "must not contain NUL characters (\\u0000)");
        }
        return value;
    }
}
