package dev.tributary.api;

import io.micronaut.context.ApplicationContext;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code java -jar tributary.jar migrate}: brings the schema up to date and exits — Flyway's core
 * migrations, then the views of every connector some app uses — as the schema owner
 * ({@code TRIBUTARY_MIGRATION_USERNAME}, default the datasource's login). For a deployment's
 * migration step (the Helm chart's hook Job) ahead of nodes started with
 * {@code TRIBUTARY_MIGRATE_ON_START=false}. It reads the service's own settings and starts its
 * context without the HTTP server or the worker, so it migrates exactly as a starting node does.
 * Exit code 0, or 1 with one line on stderr naming the problem.
 */
final class MigrateCommand {

    private MigrateCommand() {
    }

    static int run(Map<String, Object> databaseProperties, PrintStream out, PrintStream err) {
        Map<String, Object> properties = new HashMap<>(databaseProperties);
        // Migrating is what this command is for, whatever the nodes' setting says.
        properties.put("tributary.migrate-on-start", "true");
        properties.put("tributary.scheduler.worker", "false");
        try (ApplicationContext context = ApplicationContext.builder().properties(properties).start()) {
            out.println("tributary: schema migrated");
            return 0;
        } catch (RuntimeException e) {
            err.println("tributary: cannot migrate: " + StartupFailure.describe(e));
            return 1;
        }
    }
}
