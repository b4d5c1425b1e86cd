package dev.tributary.api;

import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;

import java.util.Map;

@OpenAPIDefinition(info = @Info(
        title = "Tributary",
        version = "0.1",
        description = "Keeps PostgreSQL copies of SaaS data: apps, syncs, schedules, webhooks.",
        license = @License(name = "Proprietary")))
public final class Application extends Micronaut {

    private Application(String[] args) {
        args(args);
        mainClass(Application.class);
        banner(false);
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("migrations")) {
            System.exit(MigrationsCommand.run(args, System.out, System.err));
        }
        Map<String, Object> extraProperties = Map.of();
        try {
            EmbeddedDatabaseDefault embeddedDefault = EmbeddedDatabaseDefault.fromEnvironment(args);
            if (embeddedDefault != null) {
                // The embedded server stops itself when the JVM exits.
                extraProperties = embeddedDefault.properties(embeddedDefault.start());
            }
        } catch (RuntimeException e) {
            exit(e);
        }
        new Application(args).properties(extraProperties).start();
    }

    @Override
    protected void handleStartupException(Environment environment, Throwable exception) {
        exit(exception);
    }

    private static void exit(Throwable exception) {
        System.err.println("tributary: cannot start: " + StartupFailure.describe(exception));
        System.exit(1);
    }
}
