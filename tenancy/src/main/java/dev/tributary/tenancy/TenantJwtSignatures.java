package dev.tributary.tenancy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import io.micronaut.security.token.jwt.signature.secret.SecretSignature;
import io.micronaut.security.token.jwt.signature.secret.SecretSignatureConfiguration;
import jakarta.inject.Named;

/**
 * The keys micronaut-security-jwt checks tenant JWTs' signatures with, made from {@link JwtConfiguration}
 * rather than from {@code micronaut.security.token.jwt.signatures.*}: a signature configured there exists
 * whether or not its variable is set, and an unset {@code TRIBUTARY_JWT_SECRET} must mean no HS256 tokens,
 * not a start-up error. Both are created at start-up, so a bad setting stops it.
 */
@Factory
class TenantJwtSignatures {

    @Context
    @Named("tenant-hs256")
    @Requires(property = "tributary.jwt.secret", pattern = ".+")
    SignatureConfiguration hs256(JwtConfiguration configuration) {
        var secret = new SecretSignatureConfiguration("tenant-hs256");
        secret.setJwsAlgorithm(JWSAlgorithm.HS256);
        secret.setSecret(configuration.secret());
        return new Hs256Only(new SecretSignature(secret));
    }

    @Context
    @Named("tenant-jwks")
    @Requires(property = "tributary.jwt.jwks-url", pattern = ".*\\S.*")
    SignatureConfiguration jwks(JwtConfiguration configuration) {
        return new RefreshingJwksSignature(configuration.jwksLocation());
    }

    /**
     * The shared secret signs HS256 tokens only: micronaut's {@code SecretSignature} verifies whatever HMAC
     * algorithm the token names that the secret is long enough for (HS384, HS512).
     */
    private record Hs256Only(SecretSignature secret) implements SignatureConfiguration {

        @Override
        public String supportedAlgorithmsMessage() {
            return "Only HS256 is supported for the shared secret";
        }

        @Override
        public boolean supports(JWSAlgorithm algorithm) {
            return JWSAlgorithm.HS256.equals(algorithm);
        }

        @Override
        public boolean verify(SignedJWT jwt) throws JOSEException {
            return supports(jwt.getHeader().getAlgorithm()) && secret.verify(jwt);
        }
    }
}
