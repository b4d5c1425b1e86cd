package dev.tributary.api.app;

import dev.tributary.api.MigrateCommand;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.RefusalProblemHandler;
import dev.tributary.scheduler.Refusal;
import dev.tributary.scheduler.app.AppException;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantRepository;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.core.annotation.Order;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Config-as-code: apps declared under {@code tributary.declared-apps.<tenant>.<app_key>}
 * (e.g. in Helm values) are created or brought up to date at start-up, through the
 * same {@link Apps} and the same request format (and PATCH merge) as the API. Credentials are never written in the file: each
 * {@code credentials_env} entry names the environment variable that holds it.
 * A declared app that does not validate stops start-up, naming the setting.
 */
@Singleton
@Requires(notEnv = MigrateCommand.ENVIRONMENT) // migrating changes the schema, not the apps
class DeclaredApps {

    private static final Logger LOG = LoggerFactory.getLogger(DeclaredApps.class);
    private static final String PREFIX = "tributary.declared-apps";

    private final Environment environment;
    private final Apps apps;
    private final TenantRepository tenants;
    private final JsonMapper json;
    private final Clock clock;

    DeclaredApps(Environment environment, Apps apps, TenantRepository tenants, JsonMapper json, Clock clock) {
        this.environment = environment;
        this.apps = apps;
        this.tenants = tenants;
        this.json = json;
        this.clock = clock;
    }

    @EventListener
    @Order(10)
    void reconcile(StartupEvent event) {
        Map<String, Object> declared = environment.getProperty(PREFIX, Argument.mapOf(String.class, Object.class))
                .orElse(Map.of());
        declared.forEach((tenant, tenantApps) -> {
            TenantId tenantId = TenantId.parse(tenant).orElseThrow(() ->
                    new ConfigurationException(PREFIX + "." + tenant + ": not a valid tenant id"));
            tenants.insertIfMissing(tenant, tenant, clock.instant());
            if (tenantApps instanceof Map<?, ?> byKey) {
                byKey.forEach((appKey, definition) -> reconcile(tenantId, String.valueOf(appKey), definition));
            }
        });
    }

    @SuppressWarnings("unchecked")
    private void reconcile(TenantId tenant, String appKey, Object definition) {
        String setting = PREFIX + "." + tenant.value() + "." + appKey;
        if (!(definition instanceof Map<?, ?> raw)) {
            throw new ConfigurationException(setting + ": must be an object");
        }
        Map<String, Object> body = new HashMap<>((Map<String, Object>) snakeCase(raw));
        Object credentialsEnv = body.remove("credentials_env");
        if (credentialsEnv instanceof Map<?, ?> variables) {
            Map<String, String> credentials = new HashMap<>();
            variables.forEach((name, variable) -> {
                String value = System.getenv(String.valueOf(variable));
                if (value == null) {
                    throw new ConfigurationException(setting + ".credentials_env." + name + ": environment variable "
                            + variable + " is not set");
                }
                credentials.put(String.valueOf(name), value);
            });
            body.put("credentials", credentials);
        }
        body.put("app_key", appKey);
        try {
            AppRequest request = json.readValue(json.writeValueAsString(body), Argument.of(AppRequest.class));
            if (!apps.exists(tenant, appKey)) {
                try {
                    apps.create(tenant, request.created());
                    LOG.info("Declared app {}/{} created", tenant.value(), appKey);
                    return;
                } catch (AppException.AlreadyExists exists) {
                    // Another node created it a moment ago: bring it up to date like any existing app.
                }
            }
            apps.update(tenant, appKey, request::appliedTo);
            LOG.info("Declared app {}/{} updated", tenant.value(), appKey);
        } catch (Refusal refused) {
            throw new ConfigurationException(setting + ": " + RefusalProblemHandler.problem(refused).getMessage());
        } catch (AppException refused) {
            throw new ConfigurationException(setting + ": " + AppProblemHandler.problem(refused).getMessage());
        } catch (ApiProblem problem) {
            throw new ConfigurationException(setting + ": " + problem.getMessage());
        } catch (IOException e) {
            throw new ConfigurationException(setting + ": " + e.getMessage());
        }
    }

    private static final Pattern INDEXED_ALIAS = Pattern.compile(".*\\[\\d+]$");

    /**
     * Property keys arrive kebab-cased (sync-from); the API speaks snake_case (sync_from). A list
     * set by index ({@code collections[0].path}) arrives twice, as the list and as keys like
     * {@code collections[0]}: the list is kept, those aliases dropped.
     */
    private static Object snakeCase(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> converted = new HashMap<>();
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                if (!INDEXED_ALIAS.matcher(key).matches()) {
                    converted.put(key.replace('-', '_'), snakeCase(v));
                }
            });
            return converted;
        }
        if (value instanceof java.util.List<?> list) {
            return list.stream().map(DeclaredApps::snakeCase).toList();
        }
        return value;
    }
}
