package dev.tributary.connector;

import java.time.Instant;
import java.util.List;

/**
 * A verified webhook, normalized: the provider's event id (for replay dedup), its
 * type, what happened to the entities it carries, and when the provider says it
 * happened (an older event never overwrites newer data).
 */
public record WebhookEvent(String eventId, String eventType, Action action, List<NormalizedEntity> entities,
                           Instant occurredAt) {

    /**
     * What happened to the entities: created or updated (their payload is the new state, archived
     * or not), deleted (only their ids count), or archived without a new state (the stored rows are
     * marked archived and keep their payload).
     */
    public enum Action { CREATE, UPDATE, DELETE, ARCHIVE }

    public WebhookEvent {
        entities = List.copyOf(entities);
        StorableTime.require(occurredAt, "occurred_at");
    }
}
