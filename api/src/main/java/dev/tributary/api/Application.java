package dev.tributary.api;

import dev.tributary.api.docs.AdminApi;
import dev.tributary.api.docs.TenantApi;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.servers.Server;

import java.util.Map;

@OpenAPIDefinition(
        info = @Info(
                title = "Tributary",
                // The build's version (api/src/main/openapi/openapi.properties).
                version = "${tributary.version}",
                description = "Keeps PostgreSQL copies of SaaS data: apps, syncs, schedules, webhooks.",
                license = @License(name = "Apache-2.0", url = "https://www.apache.org/licenses/LICENSE-2.0")),
        servers = @Server(url = "/", description = "the service that serves this document"))
// Two bearer credentials: a tenant's on /api (with X-Tenant-ID), the operator's on /admin; webhooks and ops take none.
@SecurityScheme(name = TenantApi.SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A tenant credential: an API key an operator issued (`POST /admin/tenants/{id}/api-keys`) or a"
                + " JWT (HS256 or RS256/ES256 from the configured JWKS) with `sub`, `exp`, `tenant_id` or `tenants`,"
                + " and `roles`. Roles: `sync:read` < `sync:write` < `sync:admin`; each operation names the one it needs.")
@SecurityScheme(name = AdminApi.SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The operator key (`TRIBUTARY_ADMIN_API_KEY`); without one configured every `/admin` path answers 404.")
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
        Map<String, Object> properties = databaseProperties(args);
        if (args.length > 0 && args[0].equals("migrate")) {
            System.exit(MigrateCommand.run(properties, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("sync")) {
            System.exit(SyncCommand.run(args, properties, System.out, System.err, System.console() != null));
        }
        if (args.length > 0 && args[0].equals("demo")) {
            int status = DemoCommand.run(args, properties, System.out, System.err, System.console() != null);
            if (status != 0) {
                System.exit(status);
            }
            return; // the service started by the demo keeps serving
        }
        serve(args, properties);
    }

    /** Starts the service: HTTP server, scheduler and all; it runs until the JVM is stopped. */
    static ApplicationContext serve(String[] args, Map<String, Object> properties) {
        return new Application(args).properties(properties).start();
    }

    /** The embedded default's settings when no database is configured; none otherwise. */
    static Map<String, Object> databaseProperties(String[] args) {
        try {
            EmbeddedDatabaseDefault embeddedDefault = EmbeddedDatabaseDefault.fromEnvironment(args);
            // The embedded server stops itself when the JVM exits.
            return embeddedDefault == null ? Map.of() : embeddedDefault.properties(embeddedDefault.start());
        } catch (RuntimeException e) {
            exit(e);
            return Map.of();
        }
    }

    @Override
    protected void handleStartupException(Environment environment, Throwable exception) {
        exit(exception);
    }

    static void exit(Throwable exception) {
        System.err.println("tributary: cannot start: " + StartupFailure.describe(exception));
        System.exit(1);
    }
}
