package dev.tributary.tenancy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;

import java.net.URL;
import java.security.Key;
import java.util.Set;

/**
 * RS256 and ES256 signatures checked against the keys published at {@code TRIBUTARY_JWT_JWKS_URL}, through
 * Nimbus's {@code JWKSource}: the key set is cached (five minutes), fetched again as soon as a token names a
 * key id the cached set lacks (the issuer rotated its keys), at most twice in 30 seconds so tokens with made-up
 * key ids cannot flood the issuer, and retried once on a network error. micronaut-security-jwt's own JWKS
 * signature (4.15) keeps a key set until its cache expires and does not fetch again for an unknown key id.
 * Fetching blocks, which is why tokens are validated off the event loop
 * ({@code micronaut.security.token.jwt.nimbus.reactive-validator-execute-on-blocking}).
 */
final class RefreshingJwksSignature implements SignatureConfiguration {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final JWSVerificationKeySelector<SecurityContext> keys;
    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

    RefreshingJwksSignature(URL jwks) {
        this.keys = new JWSVerificationKeySelector<>(ALGORITHMS, JWKSourceBuilder.create(jwks).retrying(true).build());
    }

    @Override
    public String supportedAlgorithmsMessage() {
        return "Only RS256 and ES256 are supported for keys of the JWKS";
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return ALGORITHMS.contains(algorithm);
    }

    /** @throws JOSEException also when the JWKS cannot be fetched: the token is then not verified (401) */
    @Override
    public boolean verify(SignedJWT jwt) throws JOSEException {
        if (!supports(jwt.getHeader().getAlgorithm())) {
            return false;
        }
        for (Key key : keys.selectJWSKeys(jwt.getHeader(), null)) {
            if (jwt.verify(verifiers.createJWSVerifier(jwt.getHeader(), key))) {
                return true;
            }
        }
        return false;
    }
}
