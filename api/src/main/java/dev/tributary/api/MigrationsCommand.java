package dev.tributary.api;

import dev.tributary.connector.ConnectorMetadata;
import dev.tributary.db.connector.ConnectorMigrations;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar tributary.jar migrations assemble --connectors stripe,http-json [--output FILE]}:
 * writes the named connectors' SQL migrations as one commented script, without a
 * database, for operators who review or apply schema changes themselves.
 */
final class MigrationsCommand {

    private static final String USAGE =
            "usage: java -jar tributary.jar migrations assemble --connectors <a,b,...> [--output <file>]";

    private MigrationsCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> words = Arrays.asList(args);
        int connectorsAt = words.indexOf("--connectors");
        if (words.size() < 2 || !words.get(1).equals("assemble") || connectorsAt < 0 || connectorsAt + 1 >= words.size()) {
            err.println(USAGE);
            return 2;
        }
        // Without a context there are no connector beans to ask: the SPI's layout names each one's folder.
        List<ConnectorMigrations.Location> connectors = Arrays.stream(words.get(connectorsAt + 1).split(","))
                .map(String::strip).filter(c -> !c.isEmpty())
                .map(c -> new ConnectorMigrations.Location(c, ConnectorMetadata.migrationsPath(c))).toList();
        try {
            String script = ConnectorMigrations.assemble(connectors);
            int outputAt = words.indexOf("--output");
            if (outputAt >= 0 && outputAt + 1 < words.size()) {
                Files.writeString(Path.of(words.get(outputAt + 1)), script);
            } else {
                out.print(script);
            }
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            err.println("tributary: " + e.getMessage());
            return 1;
        }
    }
}
