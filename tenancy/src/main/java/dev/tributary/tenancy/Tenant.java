package dev.tributary.tenancy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A customer of Tributary; {@code disabledAt} set means its credentials are refused. */
@MappedEntity("tenants")
public record Tenant(@Id String id, String name, Instant createdAt, @Nullable Instant disabledAt) {

    public boolean disabled() {
        return disabledAt != null;
    }
}
