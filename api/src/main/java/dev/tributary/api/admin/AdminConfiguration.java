package dev.tributary.api.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/** The operator key for {@code /admin/**} ({@code TRIBUTARY_ADMIN_API_KEY}); unset turns those endpoints off. */
@ConfigurationProperties("tributary")
public record AdminConfiguration(@Nullable String adminApiKey) {

    public boolean enabled() {
        return adminApiKey != null && !adminApiKey.isEmpty();
    }
}
