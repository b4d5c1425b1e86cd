package dev.tributary.api.problem;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.micronaut.core.beans.BeanIntrospection;
import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.config.naming.PropertyNamingStrategy;

import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a JSON body with Jackson's streaming parser, strictly, and checks every value
 * against the type of the record member it will bind to, before anything binds it: one
 * document and nothing after it, no duplicate members, no coercion between types (a
 * number is not a string, {@code "true"} is not a boolean, {@code 1.0} is not an integer,
 * {@code ["x"]} is not {@code "x"}), no NUL and no unpaired surrogate in any string or
 * member name (PostgreSQL's {@code text} and {@code jsonb} cannot hold either), numbers
 * that fit their member, at most {@link #MAX_DEPTH} levels of nesting. A member typed
 * {@code Object} or {@code Map<String, Object>} takes any JSON under the same rules.
 * A refusal names the member as a dotted path ({@code schedule.enabled},
 * {@code config.collections[0].path}).
 */
final class StrictJsonReader {

    static final int MAX_DEPTH = 64;
    private static final int LONGEST_NAME_SHOWN = 100;
    // Jackson's defaults are the strict ones: no comments, single quotes, NaN, leading zeros or trailing commas.
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final PropertyNamingStrategy naming;
    private final Map<Class<?>, Map<String, Argument<?>>> members = new ConcurrentHashMap<>();

    StrictJsonReader(PropertyNamingStrategy naming) {
        this.naming = naming;
    }

    /** Checks {@code text} against {@code type}, or throws the 400 that says what is wrong and where. */
    void check(String text, Argument<?> type) {
        try {
            // Syntax first, to the end: an unterminated document is malformed, whatever its first member.
            syntax(text);
            try (JsonParser parser = FACTORY.createParser(text)) {
                JsonToken root = parser.nextToken();
                if (root != JsonToken.START_OBJECT && BeanIntrospector.SHARED.findIntrospection(type.getType()).isPresent()) {
                    throw ApiProblem.badRequest("invalid_request", "The request body must be a JSON object, not "
                            + describe(root));
                }
                value(parser, root, type, "", false);
            }
        } catch (StreamConstraintsException e) {
            throw ApiProblem.badRequest("invalid_request", "The request body holds a number or string"
                    + " longer than this service reads");
        } catch (StreamReadException e) {
            throw malformed(null, e.getLocation());
        } catch (IOException e) {
            throw ApiProblem.badRequest("malformed_json", "The request body is not valid JSON");
        }
    }

    /** Reads every token, decoding every string (Jackson checks escapes only when it decodes), and nothing after. */
    private static void syntax(String text) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            int depth = 0;
            JsonToken token = parser.nextToken();
            do {
                if (token == null) {
                    throw malformed("the document ends too early", parser.currentLocation());
                }
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > MAX_DEPTH) {
                            throw ApiProblem.badRequest("invalid_request",
                                    "The request body is nested more than " + MAX_DEPTH + " levels deep");
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_STRING -> parser.getText();
                    default -> {
                    }
                }
                if (depth > 0) {
                    token = parser.nextToken();
                }
            } while (depth > 0);
            if (parser.nextToken() != null) {
                throw malformed("there is more after the JSON document", parser.currentTokenLocation());
            }
        }
    }

    /** One value of {@code type}; {@code element}: in a list or map, where null cannot mean "absent". */
    private void value(JsonParser parser, JsonToken token, Argument<?> type, String path, boolean element)
            throws IOException {
        Class<?> target = type.getType();
        if (token == JsonToken.VALUE_NULL) {
            if (type.isPrimitive() || element) {
                throw invalid(path, element ? "must not be null (leave the member out instead)" : "must not be null");
            }
            return;
        }
        if (target == Object.class) {
            any(parser, token, path);
        } else if (target == String.class) {
            expect(token == JsonToken.VALUE_STRING, path, "must be a string", token);
            text(parser.getText(), path, "");
        } else if (target == Boolean.class || target == boolean.class) {
            expect(token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE, path, "must be true or false", token);
        } else if (target == Integer.class || target == int.class) {
            integer(parser, token, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
        } else if (target == Long.class || target == long.class) {
            integer(parser, token, path, Long.MIN_VALUE, Long.MAX_VALUE);
        } else if (Collection.class.isAssignableFrom(target)) {
            expect(token == JsonToken.START_ARRAY, path, "must be a list", token);
            Argument<?> elements = type.getFirstTypeVariable().orElse(Argument.OBJECT_ARGUMENT);
            int index = 0;
            for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                value(parser, next, elements, path + "[" + index++ + "]", true);
            }
        } else if (Map.class.isAssignableFrom(target)) {
            expect(token == JsonToken.START_OBJECT, path, "must be an object", token);
            Argument<?>[] parameters = type.getTypeParameters();
            Argument<?> member = parameters.length == 2 ? parameters[1] : Argument.OBJECT_ARGUMENT;
            Set<String> seen = new HashSet<>();
            for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
                String field = name(parser, path, seen);
                value(parser, parser.nextToken(), member, field, true);
            }
        } else {
            var bean = BeanIntrospector.SHARED.findIntrospection(target);
            if (bean.isPresent()) {
                expect(token == JsonToken.START_OBJECT, path, "must be an object", token);
                record(parser, bean.get(), path);
            } else {
                // Other scalars (times, ids, enums) travel as strings; binding checks their form.
                expect(token == JsonToken.VALUE_STRING, path, "must be a string", token);
                text(parser.getText(), path, "");
            }
        }
    }

    private void record(JsonParser parser, BeanIntrospection<?> bean, String path) throws IOException {
        Map<String, Argument<?>> known = members.computeIfAbsent(bean.getBeanType(), t -> {
            Map<String, Argument<?>> byName = new LinkedHashMap<>();
            for (Argument<?> argument : bean.getConstructorArguments()) {
                byName.put(naming.translate(argument), argument);
            }
            return byName;
        });
        Set<String> seen = new HashSet<>();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
            String field = name(parser, path, seen);
            Argument<?> member = known.get(parser.currentName());
            if (member == null) {
                throw invalid(field, "is not a field of this request");
            }
            value(parser, parser.nextToken(), member, field, false);
        }
    }

    /** Any JSON value, as a free-form member ({@code config}) takes it. */
    private static void any(JsonParser parser, JsonToken token, String path) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                Set<String> seen = new HashSet<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
                    String field = name(parser, path, seen);
                    any(parser, parser.nextToken(), field);
                }
            }
            case START_ARRAY -> {
                int index = 0;
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    any(parser, next, path + "[" + index++ + "]");
                }
            }
            case VALUE_STRING -> text(parser.getText(), path, "");
            case VALUE_NUMBER_FLOAT -> {
                double number = parser.getDoubleValue();
                // Out of double's range: it would be stored as infinity or as zero, neither of which was sent.
                if (Double.isInfinite(number) || (number == 0 && parser.getDecimalValue().signum() != 0)) {
                    throw invalid(path, "is a number out of range");
                }
            }
            default -> {
                // integers (of any size PostgreSQL's numeric holds), booleans and null need no check
            }
        }
    }

    /** A member name: checked as text, once per object; returns the member's path. */
    private static String name(JsonParser parser, String path, Set<String> seen) throws IOException {
        String name = parser.currentName();
        text(name, path, "a member name ");
        String shown = name.length() > LONGEST_NAME_SHOWN ? name.substring(0, LONGEST_NAME_SHOWN) + "…" : name;
        String field = path.isEmpty() ? shown : path + "." + shown;
        if (!seen.add(name)) {
            throw invalid(field, "appears more than once");
        }
        return field;
    }

    private static void integer(JsonParser parser, JsonToken token, String path, long min, long max) throws IOException {
        expect(token == JsonToken.VALUE_NUMBER_INT, path, "must be an integer", token);
        JsonParser.NumberType type = parser.getNumberType();
        if (type == JsonParser.NumberType.BIG_INTEGER || parser.getLongValue() < min || parser.getLongValue() > max) {
            throw invalid(path, "must be an integer from " + min + " to " + max);
        }
    }

    /** No NUL (PostgreSQL refuses it in text and jsonb) and no half of a surrogate pair (it has no UTF-8 form). */
    private static void text(String value, String path, String what) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                throw invalid(path, what + "must not contain NUL characters (\\u0000)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw invalid(path, what + "must not contain an unpaired UTF-16 surrogate (\\u"
                        + Integer.toHexString(c) + ")");
            }
        }
    }

    private static void expect(boolean ok, String path, String message, JsonToken token) {
        if (!ok) {
            throw invalid(path, message + ", not " + describe(token));
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number with a fraction or an exponent";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    private static ApiProblem invalid(String path, String message) {
        String field = path.isEmpty() ? "body" : path;
        return ApiProblem.invalidField(field, message);
    }

    private static ApiProblem malformed(String why, JsonLocation location) {
        String where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        return ApiProblem.badRequest("malformed_json", "The request body is not valid JSON" + where
                + (why == null ? "" : ": " + why));
    }
}
