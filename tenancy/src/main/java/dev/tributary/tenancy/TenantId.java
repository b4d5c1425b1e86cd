package dev.tributary.tenancy;

import java.util.Optional;
import java.util.regex.Pattern;

/** A tenant's id: {@code ^[A-Za-z0-9_-]{1,64}$}. */
public record TenantId(String value) {

    public static final Pattern VALID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    public TenantId {
        if (!isValid(value)) {
            throw new IllegalArgumentException("tenant id must match " + VALID.pattern());
        }
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    public static Optional<TenantId> parse(String value) {
        return isValid(value) ? Optional.of(new TenantId(value)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
