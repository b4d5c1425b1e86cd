package dev.tributary.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EmbeddedPostgresServerTest {

    @Test
    void keepsItsDataAcrossRestarts(@TempDir Path dir) throws Exception {
        try (var server = EmbeddedPostgresServer.start(dir, 0)) {
            server.createDatabaseIfMissing("kept");
            try (var c = DriverManager.getConnection(server.jdbcUrl("kept"), "postgres", "")) {
                c.createStatement().execute("CREATE TABLE t(x int); INSERT INTO t VALUES (42)");
            }
        }
        try (var server = EmbeddedPostgresServer.start(dir, 0)) {
            server.createDatabaseIfMissing("kept");
            try (var c = DriverManager.getConnection(server.jdbcUrl("kept"), "postgres", "")) {
                var rs = c.createStatement().executeQuery("SELECT x FROM t");
                rs.next();
                assertEquals(42, rs.getInt(1));
            }
        }
    }
}
