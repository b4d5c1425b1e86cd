package dev.tributary.db.app;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;

/**
 * One connected account of one connector, for one tenant: a row of {@code apps}.
 * {@code config} and {@code alertConfig} are JSON texts; {@code credentialsEnc}
 * is sealed (tenancy's SecretBox) and never leaves the service.
 */
@MappedEntity("apps")
public record App(
        String tenantId,
        @Id String appKey,
        String connector,
        String name,
        @TypeDef(type = DataType.JSON) String config,
        @Nullable byte[] credentialsEnc,
        @Nullable Instant syncFrom,
        @Nullable String scheduleCron,
        @Nullable String scheduleTimezone,
        String scheduleMode,
        boolean scheduleEnabled,
        int retryMaxAttempts,
        @TypeDef(type = DataType.JSON) String alertConfig,
        Instant createdAt,
        Instant updatedAt) {
}
