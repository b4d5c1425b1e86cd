package dev.tributary.scheduler.alert;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/**
 * What an alert says (the JSON body of the signed POST, and the email): which run, of
 * which tenant and app, what happened, when, and how many records it had processed.
 *
 * @param event {@code run_failed}, {@code run_dead_lettered} or {@code deletion_guard_stopped}
 */
@Serdeable
public record RunAlert(String event, UUID syncId, String tenantId, String appKey, @Nullable String collection,
                       @Nullable String error, Instant timestamp, long recordsProcessed) {
}
