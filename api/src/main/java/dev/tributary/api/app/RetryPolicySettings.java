package dev.tributary.api.app;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/** An app's {@code retry_policy} in a request: how often a run that fails retriably is tried. */
@Serdeable
public record RetryPolicySettings(@Nullable @Schema(nullable = false, minimum = "1", maximum = "20",
        description = "attempts in all (default 3)") Integer maxAttempts) {
}
