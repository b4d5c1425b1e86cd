package dev.tributary.db.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6901 JSON pointers as a filter takes them: {@code /a/b} names member b of member a (or element b of an
 * array), {@code ~1} stands for "/" and {@code ~0} for "~" inside a name. The empty pointer (the whole
 * payload) is refused: a record's payload is always an object, so a test of it says nothing.
 */
final class JsonPointer {

    private JsonPointer() {
    }

    /** {@code value} as a pointer, or {@link FilterConfig.Invalid} naming {@code field}. */
    static String check(Object value, String field) {
        if (!(value instanceof String pointer)) {
            throw new FilterConfig.Invalid(field, "must be a JSON pointer string, e.g. \"/status\"");
        }
        if (pointer.isEmpty()) {
            throw new FilterConfig.Invalid(field, "must not be empty: the whole payload cannot be tested;"
                    + " point at a member, e.g. \"/status\"");
        }
        if (pointer.charAt(0) != '/') {
            throw new FilterConfig.Invalid(field, "must start with \"/\" (RFC 6901), e.g. \"/status\"");
        }
        if (pointer.indexOf('\0') >= 0) {
            throw new FilterConfig.Invalid(field, "must not contain NUL characters (\\u0000)");
        }
        for (int i = pointer.indexOf('~'); i >= 0; i = pointer.indexOf('~', i + 1)) {
            if (i + 1 == pointer.length() || pointer.charAt(i + 1) != '0' && pointer.charAt(i + 1) != '1') {
                throw new FilterConfig.Invalid(field, "is not a valid JSON pointer: \"~\" must be written ~0,"
                        + " and \"/\" inside a name ~1");
            }
        }
        return pointer;
    }

    /** The reference tokens of a checked pointer, unescaped: "~1" becomes "/" before "~0" becomes "~". */
    static List<String> path(String pointer) {
        List<String> tokens = new ArrayList<>();
        int start = 1;
        while (true) {
            int end = pointer.indexOf('/', start);
            String token = pointer.substring(start, end < 0 ? pointer.length() : end);
            tokens.add(token.replace("~1", "/").replace("~0", "~"));
            if (end < 0) {
                return List.copyOf(tokens);
            }
            start = end + 1;
        }
    }
}
