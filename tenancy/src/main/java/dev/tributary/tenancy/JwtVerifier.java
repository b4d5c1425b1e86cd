package dev.tributary.tenancy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies bearer JWTs: signature (HS256 with the shared secret, or RS256/ES256
 * against the JWKS), {@code exp} and {@code sub} present and {@code exp} not past.
 * Which key applies is decided by the token's {@code alg}; a token whose algorithm
 * has no configured key is refused.
 */
@Singleton
public class JwtVerifier {

    private static final Set<String> REQUIRED_CLAIMS = Set.of("sub", "exp");

    private final DefaultJWTProcessor<SecurityContext> hmac;
    private final DefaultJWTProcessor<SecurityContext> jwks;

    public JwtVerifier(JwtConfiguration configuration) {
        this.hmac = configuration.secret() == null || configuration.secret().isEmpty() ? null
                : processor(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
                        new ImmutableSecret<>(secretBytes(configuration.secret()))));
        this.jwks = configuration.jwksUrl() == null || configuration.jwksUrl().isEmpty() ? null
                : processor(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                        jwkSource(configuration.jwksUrl())));
    }

    /** The verified claims, or empty when the token is malformed, badly signed, expired or incomplete. */
    public Optional<JWTClaimsSet> verify(String token) {
        try {
            JWSAlgorithm algorithm = SignedJWT.parse(token).getHeader().getAlgorithm();
            DefaultJWTProcessor<SecurityContext> processor = JWSAlgorithm.HS256.equals(algorithm) ? hmac : jwks;
            if (processor == null) {
                return Optional.empty();
            }
            return Optional.of(processor.process(token, null));
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return Optional.empty();
        }
    }

    private static DefaultJWTProcessor<SecurityContext> processor(JWSVerificationKeySelector<SecurityContext> keys) {
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSKeySelector(keys);
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null, REQUIRED_CLAIMS));
        return processor;
    }

    private static byte[] secretBytes(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new ConfigurationException("TRIBUTARY_JWT_SECRET must be at least 32 bytes for HS256");
        }
        return bytes;
    }

    private static JWKSource<SecurityContext> jwkSource(String url) {
        try {
            return JWKSourceBuilder.create(URI.create(url).toURL()).retrying(true).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new ConfigurationException("TRIBUTARY_JWT_JWKS_URL is not a URL: " + url);
        }
    }
}
