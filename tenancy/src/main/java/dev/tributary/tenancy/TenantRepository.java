package dev.tributary.tenancy;

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

    Optional<Tenant> findById(String id);

    boolean existsById(String id);

    List<Tenant> listOrderByCreatedAtDescAndIdDesc(io.micronaut.data.model.Pageable pageable);

    long count();

    void updateDisabledAt(@io.micronaut.data.annotation.Id String id, @io.micronaut.core.annotation.Nullable Instant disabledAt);
}
