package dev.tributary.tenancy;

import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Runs work in a transaction that names its tenant ({@code SET LOCAL
 * tributary.tenant_id}), so row-level security admits that tenant's rows only.
 * Every read or write of tenant data goes through here; repositories called
 * inside join the transaction.
 */
@Singleton
public class TenantScope {

    private final TransactionOperations<Connection> transactions;

    public TenantScope(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    public <T> T read(TenantId tenant, Supplier<T> work) {
        return run(tenant, TransactionDefinition.READ_ONLY, connection -> work.get());
    }

    public <T> T write(TenantId tenant, Supplier<T> work) {
        return run(tenant, TransactionDefinition.DEFAULT, connection -> work.get());
    }

    /** JDBC work on the scoped transaction's connection; an {@link SQLException} leaves as an unchecked one. */
    public interface JdbcWork<T> {
        T run(Connection connection) throws SQLException;
    }

    public <T> T readJdbc(TenantId tenant, JdbcWork<T> work) {
        return run(tenant, TransactionDefinition.READ_ONLY, work);
    }

    public <T> T writeJdbc(TenantId tenant, JdbcWork<T> work) {
        return run(tenant, TransactionDefinition.DEFAULT, work);
    }

    private <T> T run(TenantId tenant, TransactionDefinition definition, JdbcWork<T> work) {
        return transactions.execute(definition, status -> {
            Connection connection = status.getConnection();
            try (var statement = connection.prepareStatement("SELECT set_config('tributary.tenant_id', ?, true)")) {
                statement.setString(1, tenant.value());
                statement.execute();
            } catch (SQLException e) {
                throw new IllegalStateException("could not scope the transaction to tenant " + tenant.value(), e);
            }
            try {
                return work.run(connection);
            } catch (SQLException e) {
                throw new IllegalStateException("database error: " + e.getMessage(), e);
            }
        });
    }
}
