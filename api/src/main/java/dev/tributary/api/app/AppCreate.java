package dev.tributary.api.app;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;

/**
 * The body of {@code POST /api/apps}: an {@link AppRequest} whose {@code app_key}, {@code connector} and
 * {@code name} the document marks required. Its members are nullable all the same, so that a missing one is
 * refused by the app's rules naming it, as everywhere.
 */
@Schema(description = "A new app: its key, its connector and name, the connector's `config` and `credentials`,"
        + " and optionally `sync_from`, a `schedule`, a `retry_policy` and `alerts`.")
@Serdeable
record AppCreate(
        @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = false,
                pattern = AppRequest.APP_KEY_PATTERN, example = "orders",
                description = "the app's key, unique in the tenant") String appKey,
        @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = false, example = "http-json",
                description = "the connector's `provider` (`GET /api/connectors`)") String connector,
        @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = false, minLength = 1,
                maxLength = 200, example = "Orders API") String name,
        @Nullable @Schema(nullable = false, additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
                description = "the connector's settings (its README lists them)") Map<String, Object> config,
        @Nullable @Schema(nullable = false, writeOnly = true, description = "the connector's secrets (a `token`,"
                + " a `client_secret`, …): sealed at rest, never returned") Map<String, String> credentials,
        @Nullable @Schema(nullable = false, format = "date-time", description = "records created before it are"
                + " not synced (ISO-8601 with offset)") String syncFrom,
        @Nullable @Schema(nullable = false) ScheduleSettings schedule,
        @Nullable @Schema(nullable = false) RetryPolicySettings retryPolicy,
        @Nullable @Schema(nullable = false) Alerts alerts) {

    /** The same body as the request both creation and change are made of. */
    AppRequest request() {
        return new AppRequest(appKey, connector, name, config, credentials, syncFrom, schedule, retryPolicy, alerts);
    }
}
