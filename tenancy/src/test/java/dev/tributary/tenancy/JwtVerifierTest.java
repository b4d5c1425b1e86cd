package dev.tributary.tenancy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JwtVerifierTest {

    private static final String SECRET = "a-shared-secret-of-at-least-32-bytes!";
    private final JwtVerifier verifier = new JwtVerifier(new JwtConfiguration(SECRET, null));

    static String hs256(String secret, JWTClaimsSet claims) throws Exception {
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes()));
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder valid() {
        return new JWTClaimsSet.Builder().subject("svc").claim("tenant_id", "acme")
                .claim("roles", List.of("sync:read")).expirationTime(new Date(System.currentTimeMillis() + 60_000));
    }

    @Test
    void acceptsAValidToken() throws Exception {
        assertEquals("svc", verifier.verify(hs256(SECRET, valid().build())).orElseThrow().getSubject());
    }

    @Test
    void refusesExpiredBadlySignedIncompleteAndMalformedTokens() throws Exception {
        var expired = valid().expirationTime(new Date(System.currentTimeMillis() - 3_600_000)).build();
        assertTrue(verifier.verify(hs256(SECRET, expired)).isEmpty());
        assertTrue(verifier.verify(hs256("another-secret-of-at-least-32-bytes!!", valid().build())).isEmpty());
        assertTrue(verifier.verify(hs256(SECRET, valid().expirationTime(null).build())).isEmpty());
        assertTrue(verifier.verify(hs256(SECRET, valid().subject(null).build())).isEmpty());
        assertTrue(verifier.verify("not.a.jwt").isEmpty());
        assertTrue(verifier.verify("garbage").isEmpty());
    }

    @Test
    void withoutASecretNoHs256TokenIsAccepted() throws Exception {
        assertTrue(new JwtVerifier(new JwtConfiguration(null, null)).verify(hs256(SECRET, valid().build())).isEmpty());
    }

    @Test
    void refusesAShortSecretNamingTheVariable() {
        var error = assertThrows(ConfigurationException.class, () -> new JwtVerifier(new JwtConfiguration("short", null)));
        assertTrue(error.getMessage().contains("TRIBUTARY_JWT_SECRET"));
    }

    @Test
    void refusesClaimsOfTheWrongShape() throws Exception {
        var nullTenant = new java.util.ArrayList<Object>();
        nullTenant.add("acme");
        nullTenant.add(null);
        for (var claims : List.of(
                valid().claim("tenant_id", null).claim("tenants", nullTenant).build(),
                valid().claim("tenant_id", null).claim("tenants", List.of("acme", 7)).build(),
                valid().claim("tenant_id", null).claim("tenants", "acme").build(),
                valid().claim("tenant_id", null).claim("tenants", List.of(List.of("acme"))).build(),
                valid().claim("tenant_id", 42).build(),
                valid().claim("tenant_id", List.of("acme")).build(),
                valid().claim("roles", "sync:admin").build(),
                valid().claim("roles", List.of(true)).build(),
                valid().subject(" ").build())) {
            assertTrue(verifier.verify(hs256(SECRET, claims)).isEmpty(), claims.toString());
        }
    }

    /** A token signed over exactly this payload text, for claims no claims-set builder writes. */
    static String hs256(String secret, String payload) throws Exception {
        var jws = new com.nimbusds.jose.JWSObject(new JWSHeader(JWSAlgorithm.HS256), new com.nimbusds.jose.Payload(payload));
        jws.sign(new MACSigner(secret.getBytes()));
        return jws.serialize();
    }

    @Test
    void refusesRequiredClaimsThatAreNullAndTimesThatCannotBeDates() throws Exception {
        long exp = System.currentTimeMillis() / 1000 + 60;
        String grants = "\"tenant_id\": \"acme\", \"roles\": [\"sync:read\"]";
        assertTrue(verifier.verify(hs256(SECRET, "{\"sub\": \"svc\", \"exp\": " + exp + ", " + grants + "}")).isPresent(),
                "the same token with sane claims is accepted");
        for (String claims : List.of(
                "\"sub\": \"svc\", \"exp\": null", // a token that would never expire
                "\"sub\": null, \"exp\": " + exp,
                "\"sub\": \"svc\", \"exp\": " + exp + ", \"nbf\": 1e30", // wraps into the past as milliseconds
                "\"sub\": \"svc\", \"exp\": " + exp + ", \"nbf\": 9223372036854775807",
                "\"sub\": \"svc\", \"exp\": " + exp + ", \"nbf\": -1e30",
                "\"sub\": \"svc\", \"exp\": 1e30",
                "\"sub\": \"svc\", \"exp\": 253402300800",
                "\"sub\": \"svc\", \"exp\": " + exp + ", \"iat\": 1e30",
                "\"sub\": \"svc\", \"exp\": \"" + exp + "\"")) {
            assertTrue(verifier.verify(hs256(SECRET, "{" + claims + ", " + grants + "}")).isEmpty(), claims);
        }
    }

    @Test
    void hostileTokensAreRefusedNotThrown() {
        var base64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String deep = base64.encodeToString(("{\"alg\":\"HS256\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String token : List.of("..", "a.b.c", "e30.e30.", deep + ".e30.c2ln", base64.encodeToString("{\"alg\":7}".getBytes())
                + ".e30.c2ln", base64.encodeToString("{\"alg\":\"HS256\"}".getBytes()) + ".W10.c2ln",
                base64.encodeToString("{\"alg\":\"none\"}".getBytes()) + ".e30.", "\u0000.\u0000.\u0000")) {
            assertTrue(verifier.verify(token).isEmpty(), token);
        }
    }
}
