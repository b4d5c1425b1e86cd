package dev.tributary.tenancy;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.validator.DefaultJwtAuthenticationFactory;
import io.micronaut.security.token.jwt.validator.JwtAuthenticationFactory;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a tenant JWT whose signature micronaut-security-jwt verified grants, or nothing (401) when it does not
 * say what a tenant credential must:
 * <ul>
 * <li>signed: micronaut accepts an unsigned ({@code alg: none}) token when no key is configured;</li>
 * <li>{@code sub} and {@code exp} present and not {@code null} ({@code "exp": null} would never expire);</li>
 * <li>{@code exp}, {@code nbf} and {@code iat} seconds from 1970 to 9999, read from the payload as written:
 * Nimbus multiplies them into milliseconds unchecked, so {@code "nbf": 1e30} would wrap into the past;</li>
 * <li>{@code exp} not past and {@code nbf} not to come, with a minute's leeway for the issuer's clock;</li>
 * <li>{@code sub} and {@code tenant_id} non-empty strings, {@code tenants} and {@code roles} lists of strings
 * (a {@code null} or a number in {@code tenants} is a token that does not say what it grants).</li>
 * </ul>
 * It grants {@code tenant_id}, else the {@code tenants}, and the strongest known role of {@code roles}, as the
 * {@link Principal} {@code jwt:<sub>}. Replaces micronaut's factory, which takes any claims with a subject.
 */
@Singleton
@Replaces(DefaultJwtAuthenticationFactory.class)
public class TenantJwtAuthenticationFactory implements JwtAuthenticationFactory {

    private static final List<String> TIME_CLAIMS = List.of("exp", "nbf", "iat");
    private static final List<String> STRING_CLAIMS = List.of("sub", "tenant_id");
    private static final List<String> STRING_LIST_CLAIMS = List.of("tenants", "roles");
    /** 9999-12-31T23:59:59Z. */
    private static final double LATEST_SECOND = 253_402_300_799d;
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final Clock clock;

    public TenantJwtAuthenticationFactory(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<Authentication> createAuthentication(JWT token) {
        if (!(token instanceof SignedJWT signed)) {
            return Optional.empty();
        }
        try {
            // Throws unless the payload is a JSON object whose registered claims Nimbus reads ("exp": "soon" it does not).
            JWTClaimsSet claims = signed.getJWTClaimsSet();
            if (!timesInRange(signed.getPayload().toJSONObject()) || !inForce(claims) || !shapesRead(claims)) {
                return Optional.empty();
            }
            return Optional.of(principal(claims).authentication());
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    private static boolean timesInRange(Map<String, Object> payload) {
        for (String name : TIME_CLAIMS) {
            Object value = payload.get(name);
            if (value != null && !(value instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= LATEST_SECOND)) {
                return false;
            }
        }
        return true;
    }

    private boolean inForce(JWTClaimsSet claims) {
        Date expires = claims.getExpirationTime();
        Date notBefore = claims.getNotBeforeTime();
        Instant now = clock.instant();
        return claims.getSubject() != null && expires != null
                && expires.toInstant().plus(CLOCK_SKEW).isAfter(now)
                && (notBefore == null || notBefore.toInstant().minus(CLOCK_SKEW).isBefore(now));
    }

    private static boolean shapesRead(JWTClaimsSet claims) {
        for (String name : STRING_CLAIMS) {
            Object value = claims.getClaim(name);
            if (value != null && !(value instanceof String text && !text.isBlank())) {
                return false;
            }
        }
        for (String name : STRING_LIST_CLAIMS) {
            Object value = claims.getClaim(name);
            if (value != null && !(value instanceof List<?> list && list.stream().allMatch(String.class::isInstance))) {
                return false;
            }
        }
        return true;
    }

    private static Principal principal(JWTClaimsSet claims) throws ParseException {
        String tenant = claims.getStringClaim("tenant_id");
        List<String> tenantList = claims.getStringListClaim("tenants");
        Set<String> granted = tenant != null ? Set.of(tenant) : tenantList != null ? Set.copyOf(tenantList) : Set.of();
        List<String> roles = claims.getStringListClaim("roles");
        return new Principal("jwt:" + claims.getSubject(), granted, Role.strongest(roles == null ? List.of() : roles));
    }
}
