package dev.tributary.tenancy;

import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Runs work in a transaction that names its tenant ({@code SET LOCAL
 * tributary.tenant_id}) and whose owned rows it sees ({@code SET LOCAL tributary.user_id},
 * see {@link Ownership}), so row-level security admits those rows only. Every read or write
 * of tenant data goes through here; repositories called inside join the transaction. The
 * methods without an {@link Ownership} act for the whole tenant (workers, app management).
 */
@Singleton
public class TenantScope {

    private final TransactionOperations<Connection> transactions;

    public TenantScope(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    public <T> T read(TenantId tenant, Supplier<T> work) {
        return read(tenant, Ownership.SYSTEM, work);
    }

    public <T> T write(TenantId tenant, Supplier<T> work) {
        return write(tenant, Ownership.SYSTEM, work);
    }

    public <T> T read(TenantId tenant, Ownership ownership, Supplier<T> work) {
        return run(tenant, ownership, TransactionDefinition.READ_ONLY, connection -> work.get());
    }

    public <T> T write(TenantId tenant, Ownership ownership, Supplier<T> work) {
        return run(tenant, ownership, TransactionDefinition.DEFAULT, connection -> work.get());
    }

    /** JDBC work on the scoped transaction's connection; an {@link SQLException} leaves as an unchecked one. */
    public interface JdbcWork<T> {
        T run(Connection connection) throws SQLException;
    }

    public <T> T readJdbc(TenantId tenant, JdbcWork<T> work) {
        return readJdbc(tenant, Ownership.SYSTEM, work);
    }

    public <T> T writeJdbc(TenantId tenant, JdbcWork<T> work) {
        return writeJdbc(tenant, Ownership.SYSTEM, work);
    }

    public <T> T readJdbc(TenantId tenant, Ownership ownership, JdbcWork<T> work) {
        return run(tenant, ownership, TransactionDefinition.READ_ONLY, work);
    }

    public <T> T writeJdbc(TenantId tenant, Ownership ownership, JdbcWork<T> work) {
        return run(tenant, ownership, TransactionDefinition.DEFAULT, work);
    }

    /**
     * A scope joining an enclosing transaction (a repository call inside another scope's work) hands the
     * enclosing scope its own settings back when it is done, so an inner whole-tenant read cannot widen what
     * the rest of an owner's transaction sees.
     */
    private <T> T run(TenantId tenant, Ownership ownership, TransactionDefinition definition, JdbcWork<T> work) {
        return transactions.execute(definition, status -> {
            Connection connection = status.getConnection();
            try {
                String[] enclosing = status.isNewTransaction() ? null : settings(connection);
                scope(connection, tenant.value(), ownership.setting());
                T result = work.run(connection);
                if (enclosing != null) {
                    scope(connection, enclosing[0], enclosing[1]);
                }
                return result;
            } catch (SQLException e) {
                throw new IllegalStateException("database error: " + e.getMessage(), e);
            }
        });
    }

    private static void scope(Connection connection, String tenant, String owner) throws SQLException {
        try (var statement = connection.prepareStatement(
                "SELECT set_config('tributary.tenant_id', ?, true), set_config('tributary.user_id', ?, true)")) {
            statement.setString(1, tenant == null ? "" : tenant);
            statement.setString(2, owner == null ? "" : owner);
            statement.execute();
        }
    }

    private static String[] settings(Connection connection) throws SQLException {
        try (var statement = connection.prepareStatement(
                "SELECT current_setting('tributary.tenant_id', true), current_setting('tributary.user_id', true)");
             var rs = statement.executeQuery()) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }
}
