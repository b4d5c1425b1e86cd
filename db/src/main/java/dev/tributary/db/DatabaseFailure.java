package dev.tributary.db;

import java.sql.SQLException;

/**
 * Tells a failure of the database — a statement or transaction it refused, or the database out
 * of reach ({@link DatabaseOutage}) — from any other failure that merely happened while a
 * transaction was open.
 */
public final class DatabaseFailure {

    private DatabaseFailure() {
    }

    /** Whether {@code failure}, or anything that caused it, came from the database or the way to it. */
    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                return true;
            }
        }
        return DatabaseOutage.causedBy(failure);
    }
}
