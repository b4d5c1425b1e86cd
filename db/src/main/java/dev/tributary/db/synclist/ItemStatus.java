package dev.tributary.db.synclist;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a sync list item's last push went: {@code sync_list_items.last_sync_status}, stored and shown as
 * {@link #value()}; {@code pending} until its first push.
 */
@Serdeable
public enum ItemStatus {
    @JsonProperty("success") SUCCESS,
    @JsonProperty("failed") FAILED,
    @JsonProperty("pending") PENDING;

    /** As stored and shown: the constant's name in lower case. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status stored as {@code value}; empty for any other string. */
    public static Optional<ItemStatus> of(String value) {
        return Arrays.stream(values()).filter(status -> status.value().equals(value)).findFirst();
    }
}
