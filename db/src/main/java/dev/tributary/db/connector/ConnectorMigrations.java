package dev.tributary.db.connector;

import dev.tributary.db.OwnerConnection;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;

/**
 * Per-connector SQL migrations: numbered, idempotent files
 * ({@code CREATE OR REPLACE VIEW}, {@code CREATE INDEX IF NOT EXISTS}) in the classpath folder a
 * connector's metadata names ({@link Location}), applied in numeric order, each once, as the
 * schema owner. Which connectors, and when, is the caller's to say (the scheduler applies those
 * that apps use at start-up, and a connector's when a tenant creates its first app). Several
 * nodes applying at once take turns on an advisory lock.
 */
@Singleton
public class ConnectorMigrations {

    /** Where a connector's migrations are: its provider name (their key here) and the classpath folder. */
    public record Location(String connector, String folder) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorMigrations.class);
    private static final long LOCK_KEY = 0x7472_6962_7574L;

    private final OwnerConnection owner;

    public ConnectorMigrations(OwnerConnection owner) {
        this.owner = owner;
    }

    /** The connectors some app of some tenant uses (read as the owner: no tenant is in scope). */
    public List<String> connectorsInUse() {
        try (Connection connection = owner.open();
             var rs = connection.createStatement().executeQuery("SELECT DISTINCT connector FROM tributary.apps")) {
            List<String> inUse = new ArrayList<>();
            while (rs.next()) {
                inUse.add(rs.getString(1));
            }
            return inUse;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read which connectors apps use: " + e.getMessage(), e);
        }
    }

    /** Applies the connector's migrations that have not run yet; returns how many ran. */
    public int applyFor(Location location) {
        String connector = location.connector();
        List<ConnectorMigration> migrations = of(location);
        if (migrations.isEmpty()) {
            return 0;
        }
        try (Connection connection = owner.open()) {
            connection.setAutoCommit(false);
            connection.createStatement().execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            var applied = connection.prepareStatement(
                    "SELECT version, checksum FROM tributary.connector_migrations WHERE connector = ?");
            applied.setString(1, connector);
            var rs = applied.executeQuery();
            java.util.Map<Integer, String> done = new java.util.HashMap<>();
            while (rs.next()) {
                done.put(rs.getInt(1), rs.getString(2));
            }
            int ran = 0;
            for (ConnectorMigration migration : migrations) {
                String checksum = done.get(migration.version());
                if (checksum != null) {
                    if (!checksum.equals(migration.checksum())) {
                        LOG.warn("Connector migration {}/{} changed since it ran; it is not run again",
                                connector, migration.fileName());
                    }
                    continue;
                }
                connection.createStatement().execute(migration.sql());
                var record = connection.prepareStatement("INSERT INTO tributary.connector_migrations"
                        + " (connector, version, description, checksum) VALUES (?, ?, ?, ?)");
                record.setString(1, connector);
                record.setInt(2, migration.version());
                record.setString(3, migration.description());
                record.setString(4, migration.checksum());
                record.executeUpdate();
                ran++;
                LOG.info("Applied connector migration {}/{}", connector, migration.fileName());
            }
            connection.commit();
            return ran;
        } catch (SQLException e) {
            throw new IllegalStateException("connector migration of " + connector + " failed: " + e.getMessage(), e);
        }
    }

    /** The connectors' migrations as one commented SQL script, for operators who apply schema changes themselves. */
    public static String assemble(List<Location> locations) {
        StringBuilder script = new StringBuilder("-- Tributary connector migrations for: ")
                .append(String.join(", ", locations.stream().map(Location::connector).toList()))
                .append("\n-- Each file is idempotent; apply in this order as the owner of schema tributary.\n");
        for (Location location : locations) {
            List<ConnectorMigration> migrations = of(location);
            if (migrations.isEmpty()) {
                throw new IllegalArgumentException("no migrations for connector " + location.connector());
            }
            for (ConnectorMigration migration : migrations) {
                script.append("\n-- ").append(location.connector()).append(" · ").append(migration.fileName())
                        .append('\n').append(migration.sql().strip()).append('\n');
            }
        }
        return script.toString();
    }

    /** The connector's migrations in numeric order, read from the classpath. */
    static List<ConnectorMigration> of(Location location) {
        String folder = location.folder();
        List<ConnectorMigration> migrations = new ArrayList<>();
        for (String fileName : fileNames(folder)) {
            ConnectorMigration.of(location.connector(), fileName, read(folder + "/" + fileName))
                    .ifPresent(migrations::add);
        }
        migrations.sort(Comparator.comparingInt(ConnectorMigration::version));
        return migrations;
    }

    private static Collection<String> fileNames(String folder) {
        TreeSet<String> names = new TreeSet<>();
        try {
            Enumeration<URL> roots = ConnectorMigrations.class.getClassLoader().getResources(folder);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if ("file".equals(root.getProtocol())) {
                    try (var files = Files.list(Path.of(root.toURI()))) {
                        files.map(f -> f.getFileName().toString()).forEach(names::add);
                    }
                } else if ("jar".equals(root.getProtocol())) {
                    var jar = ((JarURLConnection) root.openConnection()).getJarFile();
                    jar.stream().map(entry -> entry.getName())
                            .filter(name -> name.startsWith(folder + "/") && name.length() > folder.length() + 1)
                            .map(name -> name.substring(folder.length() + 1))
                            .filter(name -> !name.contains("/"))
                            .forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    private static String read(String resource) {
        try (InputStream in = ConnectorMigrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
