package dev.tributary.tenancy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;
import java.util.UUID;

/** A tenant's API key as stored: only the SHA-256 of the key, never the key. */
@MappedEntity("api_keys")
public record ApiKey(@Id UUID id, String tenantId, String name, byte[] keyHash, String prefix,
                     @TypeDef(type = DataType.STRING_ARRAY) String[] roles, Instant createdAt,
                     @Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {
}
