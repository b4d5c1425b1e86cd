package dev.tributary.api.app;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * Where an app's failure alerts go: an HTTP endpoint (a POST signed with {@code webhook_secret}, which is
 * write-only and kept sealed) and/or email addresses. In requests and in {@link AppView} alike.
 */
@Serdeable
public record Alerts(
        @Nullable @Schema(nullable = false, format = "uri", description = "receives a signed JSON POST per alert")
        String webhookUrl,
        @Nullable @Schema(nullable = false, description = "addresses alert emails go to") List<String> emails,
        @Nullable @Schema(nullable = false, writeOnly = true, minLength = 16, maxLength = 200,
                description = "signs webhook alerts (`Tributary-Signature`); required with `webhook_url`,"
                        + " kept sealed, never returned") String webhookSecret) {
}
