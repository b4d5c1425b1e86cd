package dev.tributary.tenancy;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * Which tenant JWTs the API accepts ({@code tributary.jwt.*}): HS256 signed with {@code secret}
 * ({@code TRIBUTARY_JWT_SECRET}, at least 32 bytes), and/or RS256 / ES256 signed by a key published at
 * {@code jwksUrl} ({@code TRIBUTARY_JWT_JWKS_URL}). With neither set, only API keys authenticate. A
 * short secret or a JWKS URL that is not one stops start-up naming the variable.
 */
@ConfigurationProperties("tributary.jwt")
public record JwtConfiguration(@Nullable String secret, @Nullable String jwksUrl) {

    public JwtConfiguration {
        secret = secret == null || secret.isEmpty() ? null : secret;
        jwksUrl = jwksUrl == null || jwksUrl.isBlank() ? null : jwksUrl.strip();
        if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new ConfigurationException("TRIBUTARY_JWT_SECRET must be at least 32 bytes for HS256");
        }
        if (jwksUrl != null) {
            url(jwksUrl);
        }
    }

    /** The JWKS URL as a URL; call only when {@link #jwksUrl} is set. */
    URL jwksLocation() {
        return url(jwksUrl);
    }

    private static URL url(String value) {
        try {
            return URI.create(value).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new ConfigurationException("TRIBUTARY_JWT_JWKS_URL is not a URL: " + value);
        }
    }
}
