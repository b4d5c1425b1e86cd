package dev.tributary.api.cors;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.util.List;

/**
 * Browser origins allowed to call the API ({@code TRIBUTARY_CORS_ALLOWED_ORIGINS},
 * comma-separated, e.g. {@code https://app.example.com}). Empty means none: no
 * CORS headers at all. A wildcard is refused.
 */
@ConfigurationProperties("tributary.cors")
public record CorsConfiguration(@Nullable List<String> allowedOrigins) {

    public CorsConfiguration {
        allowedOrigins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList();
        for (String origin : allowedOrigins) {
            if (!isOrigin(origin)) {
                throw new ConfigurationException("TRIBUTARY_CORS_ALLOWED_ORIGINS: " + origin
                        + " is not an origin like https://app.example.com (wildcards are not allowed)");
            }
        }
    }

    public boolean allows(@Nullable String origin) {
        return origin != null && allowedOrigins.contains(origin);
    }

    private static boolean isOrigin(String value) {
        try {
            URI uri = URI.create(value);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getQuery() == null
                    && !value.contains("*");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
