package dev.tributary.db.idempotency;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code idempotency_keys}: a tenant's key claims a request (by the hash of its body)
 * before the work, and keeps the response once the work is done — its body as a JSON
 * document, written from and read back into the caller's record through the service's
 * JSON mapper. A row without a response is a request in flight. Every method runs on the
 * caller's tenant-scoped connection.
 */
@Singleton
public class IdempotencyKeys {

    /**
     * What a key holds: the request it was first used with, and the response once there is one (null while in
     * flight, and for another request than the one asked about).
     */
    public record Entry<R>(byte[] requestHash, Integer responseStatus, R response, UUID syncId) {
        public boolean inFlight() {
            return responseStatus == null;
        }
    }

    private final JsonMapper json;

    public IdempotencyKeys(JsonMapper json) {
        this.json = json;
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

    /**
     * What the key holds; empty when nobody holds it. Its response is read as {@code responseType} only when the
     * key holds the request {@code requestHash}: another request's response may be another kind of trigger's,
     * of another shape, and is never answered anyway.
     */
    public <R> Optional<Entry<R>> find(Connection c, String tenant, String key, byte[] requestHash,
                                       Class<R> responseType) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT request_hash, response_status, response_body::text,"
                + " sync_id FROM idempotency_keys WHERE tenant_id = ? AND key = ?")) {
            select.setString(1, tenant);
            select.setString(2, key);
            var rs = select.executeQuery();
            if (!rs.next()) {
                return Optional.empty();
            }
            byte[] held = rs.getBytes(1);
            Integer status = rs.getObject(2, Integer.class);
            String body = rs.getString(3);
            try {
                return Optional.of(new Entry<>(held, status, body == null || !Arrays.equals(held, requestHash) ? null
                        : json.readValue(body, responseType), rs.getObject(4, UUID.class)));
            } catch (IOException e) {
                throw new UncheckedIOException("idempotency key " + key + " holds a response that does not read back", e);
            }
        }
    }

    /** Keeps the response of the claimed request. */
    public void complete(Connection c, String tenant, String key, int status, Object response, UUID syncId)
            throws SQLException {
        String body;
        try {
            body = json.writeValueAsString(response);
        } catch (IOException e) {
            throw new UncheckedIOException("the response to keep for idempotency key " + key + " does not write", e);
        }
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
