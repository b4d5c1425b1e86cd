package dev.tributary.scheduler.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/**
 * What an alert says (the JSON body of the signed POST, and the email): which run, of
 * which tenant and app, what happened, when, and how many records it had processed.
 *
 * <p>Every member is sent, null or not ({@code collection} is null for a run of all the app's
 * collections), so a receiver sees one shape.
 *
 * @param event {@code run_failed}, {@code run_dead_lettered} or {@code deletion_guard_stopped}
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RunAlert(String event, UUID syncId, String tenantId, String appKey, @Nullable String collection,
                       @Nullable String error, Instant timestamp, long recordsProcessed) {
}
