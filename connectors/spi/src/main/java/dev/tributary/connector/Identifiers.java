package dev.tributary.connector;

import java.util.regex.Pattern;

/** The one rule for tenant ids, app keys and collection keys (DESIGN.md §4). */
public final class Identifiers {

    public static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    private Identifiers() {
    }

    public static boolean isValidKey(String value) {
        return value != null && KEY.matcher(value).matches();
    }

    static String requireKey(String value, String what) {
        if (!isValidKey(value)) {
            throw new IllegalArgumentException(what + " must match " + KEY.pattern() + ": " + value);
        }
        return value;
    }
}
