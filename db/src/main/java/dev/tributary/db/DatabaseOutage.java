package dev.tributary.db;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.connection.exceptions.NoConnectionException;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that could not be reached (down, restarting, the connection dropped,
 * no pooled connection in time) from one that refused the work: the first is worth
 * waiting out and trying again, the second is the work's own failure.
 */
public final class DatabaseOutage {

    private DatabaseOutage() {
    }

    /** Whether {@code failure}, or anything that caused it, says the database was out of reach. */
    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof CannotGetJdbcConnectionException) {
                return true;
            }
            // Micronaut failing to set up or restore a pooled connection: after a connection broke, this
            // masks the original error (the pool hands back a closed proxy whose calls all fail).
            if (t instanceof ConnectionException && !(t instanceof NoConnectionException)) {
                return true;
            }
            // SQLSTATE class 08 is a connection exception; 57P01-57P03 a server shutting down, crashed or starting.
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
