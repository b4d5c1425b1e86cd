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
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies bearer JWTs: signature (HS256 with the shared secret, or RS256/ES256
 * against the JWKS), {@code exp} and {@code sub} present (not {@code null}) and {@code exp}
 * not past, {@code nbf} not to come, and the claims we read in the shapes we read them:
 * {@code exp}, {@code nbf} and {@code iat} seconds from 1970 to 9999, {@code sub} and
 * {@code tenant_id} strings, {@code tenants} and {@code roles} lists of strings (a {@code null}
 * or a number in {@code tenants} is a token that does not say what it grants). Which key
 * applies is decided by the token's {@code alg}; a token whose algorithm has no configured key is refused.
 */
@Singleton
public class JwtVerifier {

    private static final Set<String> REQUIRED_CLAIMS = Set.of("sub", "exp");
    private static final List<String> STRING_CLAIMS = List.of("sub", "tenant_id");
    private static final List<String> STRING_LIST_CLAIMS = List.of("tenants", "roles");
    private static final List<String> TIME_CLAIMS = List.of("exp", "nbf", "iat");
    /** 9999-12-31T23:59:59Z: Nimbus multiplies a time claim's seconds into milliseconds unchecked, so larger ones wrap. */
    private static final double LATEST_SECOND = 253_402_300_799d;

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
            SignedJWT jwt = SignedJWT.parse(token);
            DefaultJWTProcessor<SecurityContext> processor = JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())
                    ? hmac : jwks;
            if (processor == null || !timesInRange(jwt.getPayload().toJSONObject())) {
                return Optional.empty();
            }
            return Optional.of(processor.process(jwt, null));
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            // Hostile tokens reach parsers whose every failure is not a checked exception; none is a credential.
            return Optional.empty();
        }
    }

    /**
     * The time claims as the token wrote them: absent, or a number of seconds the claims set can hold. Checked
     * before Nimbus turns them into dates, where {@code "nbf": 1e30} wraps into the past and passes.
     */
    private static boolean timesInRange(Map<String, Object> payload) {
        for (String name : TIME_CLAIMS) {
            Object value = payload.get(name);
            if (value != null && !(value instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= LATEST_SECOND)) {
                return false;
            }
        }
        return true;
    }

    private static DefaultJWTProcessor<SecurityContext> processor(JWSVerificationKeySelector<SecurityContext> keys) {
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSKeySelector(keys);
        processor.setJWTClaimsSetVerifier(new ClaimShapes());
        return processor;
    }

    /** The standard checks ({@code exp}, required claims) and the shapes of the claims we read. */
    private static final class ClaimShapes extends DefaultJWTClaimsVerifier<SecurityContext> {

        ClaimShapes() {
            super(null, REQUIRED_CLAIMS);
        }

        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            super.verify(claims, context);
            for (String name : REQUIRED_CLAIMS) {
                // The standard check asks only that the name be there: "exp": null would be a token that never expires.
                if (claims.getClaim(name) == null) {
                    throw new BadJWTException("claim " + name + " must not be null");
                }
            }
            for (String name : STRING_CLAIMS) {
                Object value = claims.getClaim(name);
                if (value != null && !(value instanceof String text && !text.isBlank())) {
                    throw new BadJWTException("claim " + name + " must be a non-empty string");
                }
            }
            for (String name : STRING_LIST_CLAIMS) {
                Object value = claims.getClaim(name);
                if (value != null && !(value instanceof List<?> list && list.stream().allMatch(String.class::isInstance))) {
                    throw new BadJWTException("claim " + name + " must be a list of strings");
                }
            }
        }
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
