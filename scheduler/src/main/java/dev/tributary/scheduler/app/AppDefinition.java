package dev.tributary.scheduler.app;

import dev.tributary.scheduler.alert.AlertTarget;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Map;

/**
 * An app as it is asked to be, before {@link Apps} checks it whole and stores it: what a create
 * gives, or what a change makes of the stored app. Its credentials and webhook secret are in the
 * clear here; they are sealed when stored. Members a caller may leave out ({@code appKey},
 * {@code connector}, {@code name}) are refused by the validation, naming the field.
 */
public record AppDefinition(@Nullable String appKey, @Nullable String connector, @Nullable String name,
                            Map<String, Object> config, Map<String, String> credentials, @Nullable Instant syncFrom,
                            Schedule schedule, int maxAttempts, AlertTarget alerts) {

    /** The retry policy of an app that does not choose one. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    /**
     * When the app syncs by itself.
     *
     * @param mode {@code full} or {@code incremental}
     */
    public record Schedule(@Nullable String cron, @Nullable String timezone, String mode, boolean enabled) {

        /** Scheduled runs are incremental unless the schedule says full. */
        public static final String DEFAULT_MODE = "incremental";
    }
}
