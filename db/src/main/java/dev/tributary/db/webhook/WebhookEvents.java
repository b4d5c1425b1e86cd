package dev.tributary.db.webhook;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * {@code webhook_events}: each verified provider event once per app, by the provider's
 * event id — a replay finds its id taken — with what became of it and, when the app
 * asks for it, its payload. On the caller's connection, inside its tenant transaction,
 * so an event is recorded together with what it changed, or not at all.
 */
@Singleton
public class WebhookEvents {

    /**
     * Records an event and what becomes of it — {@code processed} (applied in this same
     * transaction) or {@code ignored}; false when the app already has an event of that id (a
     * replay, or the same delivery racing itself: the second waits for the first to commit).
     */
    public boolean record(Connection c, String tenant, String appKey, String eventId, String eventType,
                          String status, String payload, Instant receivedAt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO webhook_events (tenant_id, app_key, event_id,"
                + " event_type, received_at, processed_at, status, payload) VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))"
                + " ON CONFLICT (tenant_id, app_key, event_id) DO NOTHING")) {
            s.setString(1, tenant);
            s.setString(2, appKey);
            s.setString(3, eventId);
            s.setString(4, eventType);
            s.setTimestamp(5, Timestamp.from(receivedAt));
            s.setTimestamp(6, Timestamp.from(receivedAt));
            s.setString(7, status);
            s.setString(8, payload);
            return s.executeUpdate() == 1;
        }
    }
}
