package dev.tributary.db.idempotency;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code idempotency_keys}: a tenant's key claims a request (by the hash of its body)
 * before the work, and keeps the response once the work is done. A row without a
 * response is a request in flight. Every method runs on the caller's tenant-scoped
 * connection.
 */
@Singleton
public class IdempotencyKeys {

    /** What a key holds: the request it was first used with, and the response once there is one. */
    public record Entry(byte[] requestHash, Integer responseStatus, String responseBody, UUID syncId) {
        public boolean inFlight() {
            return responseStatus == null;
        }
    }

    /**
     * Claims the key for a request; false when it is taken. An expired row, or a claim left in
     * flight since before {@code abandonedBefore} (its node died before answering; nothing it
     * did was committed), is cleared first.
     */
    public boolean claim(Connection c, String tenant, String key, byte[] requestHash, Instant expiresAt,
                         Instant abandonedBefore) throws SQLException {
        try (PreparedStatement clear = c.prepareStatement("DELETE FROM idempotency_keys WHERE tenant_id = ? AND key = ?"
                + " AND (expires_at < now() OR (response_status IS NULL AND created_at < ?))")) {
            clear.setString(1, tenant);
            clear.setString(2, key);
            clear.setTimestamp(3, Timestamp.from(abandonedBefore));
            clear.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO idempotency_keys (tenant_id, key, request_hash,"
                + " expires_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, tenant);
            insert.setString(2, key);
            insert.setBytes(3, requestHash);
            insert.setTimestamp(4, Timestamp.from(expiresAt));
            return insert.executeUpdate() == 1;
        }
    }

    public Optional<Entry> find(Connection c, String tenant, String key) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT request_hash, response_status, response_body::text,"
                + " sync_id FROM idempotency_keys WHERE tenant_id = ? AND key = ?")) {
            select.setString(1, tenant);
            select.setString(2, key);
            var rs = select.executeQuery();
            if (!rs.next()) {
                return Optional.empty();
            }
            Integer status = rs.getObject(2, Integer.class);
            return Optional.of(new Entry(rs.getBytes(1), status, rs.getString(3), rs.getObject(4, UUID.class)));
        }
    }

    /** Keeps the response of the claimed request. */
    public void complete(Connection c, String tenant, String key, int status, String body, UUID syncId)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE idempotency_keys SET response_status = ?,"
                + " response_body = ?::jsonb, sync_id = ? WHERE tenant_id = ? AND key = ?")) {
            update.setInt(1, status);
            update.setString(2, body);
            update.setObject(3, syncId);
            update.setString(4, tenant);
            update.setString(5, key);
            update.executeUpdate();
        }
    }

    /** Gives a claim back (the request was refused before any work): the key can be used again. */
    public void release(Connection c, String tenant, String key) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM idempotency_keys WHERE tenant_id = ?"
                + " AND key = ? AND response_status IS NULL")) {
            delete.setString(1, tenant);
            delete.setString(2, key);
            delete.executeUpdate();
        }
    }

    /** Deletes every tenant's expired keys; returns how many. */
    public long purgeExpired(Connection c) throws SQLException {
        try (PreparedStatement purge = c.prepareStatement("SELECT purge_expired_idempotency_keys()")) {
            var rs = purge.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }
}
