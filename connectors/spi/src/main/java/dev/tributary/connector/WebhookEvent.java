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

    public enum Action { CREATE, UPDATE, DELETE, ARCHIVE }

    public WebhookEvent {
        entities = List.copyOf(entities);
    }
}
