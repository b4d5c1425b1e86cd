package dev.tributary.db.filter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A saved filter's {@code filter_config}: a small declarative filter over a collection's synced records —
 * predicates on JSON pointers into the record's payload, all of them ANDed, and optionally
 * {@code updated_after} (the record's source time, else when it was written, is later). Read strictly from
 * what a JSON object deserializes to ({@link #parse}); {@link #asMap} gives it back in the same syntax, to
 * store and show; {@link #condition} is its SQL form for any query over {@code entities e}.
 *
 * @param predicates   the tests on the payload, in the order given
 * @param updatedAfter only records changed after this time; null: whenever
 */
public record FilterConfig(List<Predicate> predicates, Instant updatedAfter) {

    /** No filter: every record matches. */
    public static final FilterConfig NONE = new FilterConfig(List.of(), null);

    /** At most this many predicates: each is a few conditions of the query that reads the matches. */
    public static final int MAX_PREDICATES = 50;

    private static final String PREDICATES = "predicates";
    private static final String UPDATED_AFTER = "updated_after";
    private static final String POINTER = "pointer";
    // The times PostgreSQL holds and people mean, as every stored time (spi's StorableTime): years 1 to 9999.
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    public FilterConfig {
        predicates = List.copyOf(predicates);
    }

    /**
     * One predicate: the value at {@code pointer} (RFC 6901, never the whole payload) passes every test.
     *
     * @param pointer the JSON pointer as given ({@code /address/city}, {@code /a~1b} for the member "a/b")
     * @param tests   at least one, in the order {@code eq, in, gte, lte, contains, exists}
     */
    public record Predicate(String pointer, List<Test> tests) {
        public Predicate {
            Objects.requireNonNull(pointer, "pointer");
            tests = List.copyOf(tests);
        }

        /** The pointer's reference tokens, unescaped ({@code ~1} is "/", {@code ~0} is "~"). */
        public List<String> path() {
            return JsonPointer.path(pointer);
        }
    }

    /** A test of the value a pointer finds; {@code name()} is its member name in a predicate. */
    public sealed interface Test permits Eq, In, Gte, Lte, Contains, Exists {
        String name();

        /** The test's operand as JSON deserializes it (String, Number, Boolean, List, Map or null). */
        Object operand();
    }

    /** The value equals {@code value} as JSON (numbers by value: 1 equals 1.0); a null finds JSON null. */
    public record Eq(Object value) implements Test {
        public String name() {
            return "eq";
        }

        public Object operand() {
            return value;
        }
    }

    /** The value equals one of {@code values} as JSON; never empty. */
    public record In(List<Object> values) implements Test {
        public In {
            values = Collections.unmodifiableList(new ArrayList<>(values));
        }

        public String name() {
            return "in";
        }

        public Object operand() {
            return values;
        }
    }

    /**
     * The value is at least {@code bound}: a number bound compares numbers only, numerically; a string bound
     * compares strings only, by their code points (so ISO-8601 dates in one form compare as times).
     */
    public record Gte(Object bound) implements Test {
        public String name() {
            return "gte";
        }

        public Object operand() {
            return bound;
        }
    }

    /** The value is at most {@code bound}, as {@link Gte} compares. */
    public record Lte(Object bound) implements Test {
        public String name() {
            return "lte";
        }

        public Object operand() {
            return bound;
        }
    }

    /**
     * A string operand: the value is a string holding it, ignoring case. A list or an object: the value
     * contains it as jsonb does ({@code ["a","b"]} contains {@code ["a"]}, {@code {"a":1,"b":2}} contains
     * {@code {"a":1}}).
     */
    public record Contains(Object value) implements Test {
        public String name() {
            return "contains";
        }

        public Object operand() {
            return value;
        }
    }

    /** true: the pointer finds a value that is not JSON null; false: it finds nothing, or JSON null. */
    public record Exists(boolean present) implements Test {
        public String name() {
            return "exists";
        }

        public Object operand() {
            return present;
        }
    }

    /** Thrown by {@link #parse}: {@code field} is the path of the member at fault, {@code reason} what is wrong. */
    public static final class Invalid extends IllegalArgumentException {
        private final String field;
        private final String reason;

        public Invalid(String field, String reason) {
            super(field + " " + reason);
            this.field = field;
            this.reason = reason;
        }

        public String field() {
            return field;
        }

        public String reason() {
            return reason;
        }
    }

    /**
     * Reads a filter as a JSON object deserializes ({@code Map}, {@code List}, {@code String}, {@code Number},
     * {@code Boolean}, null). Every member is checked; an unknown one is refused, not ignored, since a misspelt
     * test would otherwise widen the filter silently.
     *
     * @param field the filter's own name ({@code filter_config}), which starts the path of every refusal
     * @throws Invalid naming the first member at fault ({@code filter_config.predicates[1].gte})
     */
    public static FilterConfig parse(Object value, String field) {
        Map<?, ?> members = object(value, field);
        List<Predicate> predicates = new ArrayList<>();
        Instant updatedAfter = null;
        for (var entry : members.entrySet()) {
            String name = String.valueOf(entry.getKey());
            String path = field + "." + name;
            switch (name) {
                case PREDICATES -> predicates = predicates(entry.getValue(), path);
                case UPDATED_AFTER -> updatedAfter = time(entry.getValue(), path);
                default -> throw new Invalid(path, "is not a member of a filter; it takes " + PREDICATES + ", "
                        + UPDATED_AFTER);
            }
        }
        return new FilterConfig(predicates, updatedAfter);
    }

    /** The filter in {@link #parse}'s syntax: {@code parse(asMap(), f)} equals it. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>(predicates.size());
        for (Predicate predicate : predicates) {
            Map<String, Object> members = new LinkedHashMap<>();
            members.put(POINTER, predicate.pointer());
            predicate.tests().forEach(test -> members.put(test.name(), test.operand()));
            list.add(Collections.unmodifiableMap(members));
        }
        map.put(PREDICATES, Collections.unmodifiableList(list));
        if (updatedAfter != null) {
            map.put(UPDATED_AFTER, updatedAfter.toString());
        }
        return Collections.unmodifiableMap(map);
    }

    /** The filter as a condition over {@code entities e}, its values bound as parameters. */
    public FilterCondition condition() {
        return FilterCondition.of(this);
    }

    private static List<Predicate> predicates(Object value, String field) {
        if (!(value instanceof List<?> list)) {
            throw new Invalid(field, "must be a list of predicates");
        }
        if (list.size() > MAX_PREDICATES) {
            throw new Invalid(field, "must hold at most " + MAX_PREDICATES + " predicates");
        }
        List<Predicate> predicates = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            predicates.add(predicate(list.get(i), field + "[" + i + "]"));
        }
        return predicates;
    }

    private static Predicate predicate(Object value, String field) {
        Map<?, ?> members = object(value, field);
        if (!members.containsKey(POINTER)) {
            throw new Invalid(field + "." + POINTER, "is required: the JSON pointer of the value to test");
        }
        String pointer = JsonPointer.check(members.get(POINTER), field + "." + POINTER);
        Test[] tests = new Test[6];
        for (var entry : members.entrySet()) {
            String name = String.valueOf(entry.getKey());
            String path = field + "." + name;
            Object operand = entry.getValue();
            switch (name) {
                case POINTER -> {
                }
                case "eq" -> tests[0] = new Eq(JsonValues.plain(operand, path));
                case "in" -> tests[1] = new In(nonEmptyList(operand, path));
                case "gte" -> tests[2] = new Gte(bound(operand, path));
                case "lte" -> tests[3] = new Lte(bound(operand, path));
                case "contains" -> tests[4] = new Contains(containable(operand, path));
                case "exists" -> {
                    if (!(operand instanceof Boolean present)) {
                        throw new Invalid(path, "must be true or false");
                    }
                    tests[5] = new Exists(present);
                }
                default -> throw new Invalid(path, "is not a member of a predicate; it takes pointer and one or"
                        + " more of eq, in, gte, lte, contains, exists");
            }
        }
        List<Test> given = new ArrayList<>();
        for (Test test : tests) {
            if (test != null) {
                given.add(test);
            }
        }
        if (given.isEmpty()) {
            throw new Invalid(field, "needs at least one of eq, in, gte, lte, contains, exists");
        }
        return new Predicate(pointer, given);
    }

    private static Map<?, ?> object(Object value, String field) {
        if (!(value instanceof Map<?, ?> members)) {
            throw new Invalid(field, "must be an object");
        }
        return members;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> nonEmptyList(Object value, String field) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new Invalid(field, "must be a non-empty list of JSON values");
        }
        return (List<Object>) JsonValues.plain(list, field);
    }

    private static Object bound(Object value, String field) {
        if (value instanceof String || value instanceof Number) {
            return JsonValues.plain(value, field);
        }
        throw new Invalid(field, "must be a number or a string");
    }

    private static Object containable(Object value, String field) {
        if (value instanceof String || value instanceof List<?> || value instanceof Map<?, ?>) {
            return JsonValues.plain(value, field);
        }
        throw new Invalid(field, "must be a string (a substring, ignoring case), a list or an object (contained)");
    }

    private static Instant time(Object value, String field) {
        if (!(value instanceof String text)) {
            throw new Invalid(field, "must be an ISO-8601 time with offset, e.g. 2024-01-01T00:00:00Z");
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new Invalid(field, "must be an ISO-8601 time with offset, e.g. 2024-01-01T00:00:00Z");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new Invalid(field, "must be from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z");
        }
        return instant;
    }
}
