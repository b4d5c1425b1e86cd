package dev.tributary.db.app;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;
import java.util.Map;

/**
 * One connected account of one connector, for one tenant: a row of {@code apps}.
 * {@code config} is the connector's settings as JSON (their shape is the connector's
 * business); {@code alerts} is the {@code alert_config} column. Both are read and
 * written through the service's JSON mapper. {@code credentialsEnc} is sealed
 * (tenancy's SecretBox) and never leaves the service.
 */
@MappedEntity("apps")
public record App(
        String tenantId,
        @Id String appKey,
        String connector,
        String name,
        @TypeDef(type = DataType.JSON) Map<String, Object> config,
        @Nullable byte[] credentialsEnc,
        @Nullable Instant syncFrom,
        @Nullable String scheduleCron,
        @Nullable String scheduleTimezone,
        String scheduleMode,
        boolean scheduleEnabled,
        int retryMaxAttempts,
        @MappedProperty("alert_config") @TypeDef(type = DataType.JSON) AlertSettings alerts,
        Instant createdAt,
        Instant updatedAt) {
}
