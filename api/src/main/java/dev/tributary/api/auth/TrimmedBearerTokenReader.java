package dev.tributary.api.auth;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.security.token.bearer.BearerTokenConfiguration;
import io.micronaut.security.token.bearer.BearerTokenReader;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Reads {@code Authorization: Bearer <token>} as RFC 6750 writes it, one or more spaces before the token
 * (micronaut's reader keeps every space after the first as part of the token); {@code Bearer} with nothing
 * after it is no token at all.
 */
@Singleton
@Replaces(BearerTokenReader.class)
public class TrimmedBearerTokenReader extends BearerTokenReader {

    public TrimmedBearerTokenReader(BearerTokenConfiguration configuration) {
        super(configuration);
    }

    @Override
    protected Optional<String> extractTokenFromAuthorization(String authorization) {
        return super.extractTokenFromAuthorization(authorization).map(String::strip).filter(token -> !token.isEmpty());
    }
}
