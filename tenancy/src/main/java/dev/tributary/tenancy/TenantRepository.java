package dev.tributary.tenancy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The tenants table, which is not tenant-scoped: only operators reach it. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TenantRepository extends GenericRepository<Tenant, String> {

    Tenant save(Tenant tenant);

    /** Creates the tenant unless it exists (then 0); safe when several nodes or requests do it at once. */
    @Query("INSERT INTO tenants (id, name, created_at) VALUES (:id, :name, :createdAt) ON CONFLICT (id) DO NOTHING")
    int insertIfMissing(String id, String name, Instant createdAt);

    Optional<Tenant> findById(String id);

    boolean existsById(String id);

    @Query("SELECT * FROM tenants ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
    List<Tenant> listNewestFirst(int limit, long offset);

    long count();

    void updateDisabledAt(@Id String id, @Nullable Instant disabledAt);
}
