package dev.tributary.db.filter;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FilterConfig} as SQL: a condition over the alias {@code e} of {@code entities}, to put after a
 * {@code WHERE … AND}, whose every value — pointers and operands alike — is a parameter, never text of the
 * statement. {@link #bind} sets those parameters where the condition's placeholders fall in the statement.
 * The condition says nothing of archived records: each query decides (the matches listing may include them,
 * adding a filter's matches to the sync list never does).
 *
 * <pre>{@code
 * FilterCondition condition = filter.condition();
 * try (var s = c.prepareStatement("SELECT e.external_id FROM entities e WHERE e.tenant_id = ? AND "
 *         + condition.sql() + " ORDER BY e.external_id LIMIT ?")) {
 *     s.setString(1, tenant);
 *     int next = condition.bind(s, 2);
 *     s.setInt(next, limit);
 * }
 * }</pre>
 *
 * A pointer reads {@code e.raw_payload #> path} (its tokens unescaped, a text array); {@code eq} and
 * {@code in} compare jsonb values; {@code gte}/{@code lte} compare numbers numerically and strings by code
 * point ({@code COLLATE "C"}), and other types never pass; {@code contains} with a string looks for it in
 * string values, ignoring case, and with a list or object is jsonb containment ({@code @>}); {@code exists}
 * asks for a value that is not JSON null, or for none; {@code updated_after} compares the source's time,
 * else when the record was written.
 */
public final class FilterCondition {

    private static final String VALUE = "(e.raw_payload #> ?::text[])";
    private static final String TEXT = "(e.raw_payload #>> ?::text[])";
    private static final String TYPE = "jsonb_typeof" + VALUE;

    private final String sql;
    private final List<Object> parameters;

    private FilterCondition(String sql, List<Object> parameters) {
        this.sql = sql;
        this.parameters = List.copyOf(parameters);
    }

    static FilterCondition of(FilterConfig filter) {
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        for (FilterConfig.Predicate predicate : filter.predicates()) {
            String[] path = predicate.path().toArray(String[]::new);
            for (FilterConfig.Test test : predicate.tests()) {
                conditions.add(condition(test, path, parameters));
            }
        }
        if (filter.updatedAfter() != null) {
            conditions.add("coalesce(e.source_updated_at, e.updated_at) > ?");
            parameters.add(Timestamp.from(filter.updatedAfter()));
        }
        return new FilterCondition(conditions.isEmpty() ? "TRUE" : "(" + String.join("\n   AND ", conditions) + ")",
                parameters);
    }

    /** The condition, parenthesized (or {@code TRUE} for no filter), with {@link #parameterCount} placeholders. */
    public String sql() {
        return sql;
    }

    public int parameterCount() {
        return parameters.size();
    }

    /**
     * Sets the condition's parameters, the first at position {@code from}.
     *
     * @return the position after the condition's last parameter: where the statement's next one goes
     */
    public int bind(PreparedStatement statement, int from) throws SQLException {
        int position = from;
        for (Object parameter : parameters) {
            // String arrays bind as text[]; BigDecimal as numeric; Timestamp as a time; strings as text.
            statement.setObject(position++, parameter instanceof String[] array ? array.clone() : parameter);
        }
        return position;
    }

    @Override
    public String toString() {
        return sql;
    }

    private static String condition(FilterConfig.Test test, String[] path, List<Object> parameters) {
        if (test instanceof FilterConfig.Gte gte) {
            return compare(">=", gte.bound(), path, parameters);
        }
        if (test instanceof FilterConfig.Lte lte) {
            return compare("<=", lte.bound(), path, parameters);
        }
        parameters.add(path);
        if (test instanceof FilterConfig.Eq eq) {
            parameters.add(JsonValues.json(eq.value()));
            return VALUE + " = ?::jsonb";
        }
        if (test instanceof FilterConfig.In in) {
            parameters.add(in.values().stream().map(JsonValues::json).toArray(String[]::new));
            return VALUE + " = ANY (?::jsonb[])";
        }
        if (test instanceof FilterConfig.Contains contains) {
            if (contains.value() instanceof String text) {
                parameters.add(path);
                parameters.add(text);
                return "(" + TYPE + " = 'string' AND strpos(lower" + TEXT + ", lower(?)) > 0)";
            }
            parameters.add(JsonValues.json(contains.value()));
            return VALUE + " @> ?::jsonb";
        }
        // jsonb_typeof of no value is NULL: absent counts as not existing, either way round.
        return ((FilterConfig.Exists) test).present() ? "coalesce(" + TYPE + " <> 'null', false)"
                : "coalesce(" + TYPE + " = 'null', true)";
    }

    /**
     * A bound's comparison. A number's is guarded by CASE, which PostgreSQL evaluates in order, so a string
     * value is never cast to numeric (an error); AND gives no such promise.
     */
    private static String compare(String operator, Object bound, String[] path, List<Object> parameters) {
        parameters.add(path);
        parameters.add(path);
        if (bound instanceof Number number) {
            parameters.add(JsonValues.decimal(number));
            return "(CASE WHEN " + TYPE + " = 'number' THEN " + VALUE + "::numeric " + operator + " ? ELSE false END)";
        }
        parameters.add(bound);
        return "(" + TYPE + " = 'string' AND " + TEXT + " COLLATE \"C\" " + operator + " ?)";
    }
}
