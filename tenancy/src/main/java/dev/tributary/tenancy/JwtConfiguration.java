package dev.tributary.tenancy;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Which JWTs the API accepts ({@code tributary.jwt.*}): HS256 signed with
 * {@code secret} ({@code TRIBUTARY_JWT_SECRET}, at least 32 bytes), and/or RS256 /
 * ES256 signed by a key published at {@code jwksUrl} ({@code TRIBUTARY_JWT_JWKS_URL}).
 * With neither set, only API keys authenticate.
 */
@ConfigurationProperties("tributary.jwt")
public record JwtConfiguration(@Nullable String secret, @Nullable String jwksUrl) {
}
