package dev.tributary.tenancy;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** API keys; every method but {@link #authenticate} runs inside {@link TenantScope}. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ApiKeyRepository extends GenericRepository<ApiKey, UUID> {

    /** What a presented key's hash grants, found before the tenant is known (see db's authenticate_api_key). */
    @Introspected
    record KeyGrant(String tenantId, UUID keyId, @TypeDef(type = DataType.STRING_ARRAY) String[] roles,
                    boolean tenantDisabled) {
    }

    @Query(value = "SELECT tenant_id, key_id, roles, tenant_disabled FROM authenticate_api_key(:keyHash)",
            nativeQuery = true)
    Optional<KeyGrant> authenticate(byte[] keyHash);

    ApiKey save(ApiKey key);

    List<ApiKey> findByTenantIdOrderByCreatedAtDesc(String tenantId);

    Optional<ApiKey> findByTenantIdAndId(String tenantId, UUID id);

    void updateRevokedAt(@io.micronaut.data.annotation.Id UUID id, Instant revokedAt);
}
