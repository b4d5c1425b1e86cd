package dev.tributary.scheduler;

import org.quartz.utils.ConnectionProvider;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Hands Quartz connections from the application's pool instead of a pool of its own. */
final class PooledConnectionProvider implements ConnectionProvider {

    private final DataSource dataSource;

    PooledConnectionProvider(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void shutdown() {
        // The pool belongs to Micronaut, which closes it.
    }

    @Override
    public void initialize() {
        // Nothing to set up: the pool is already running.
    }
}
