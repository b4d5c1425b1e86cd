package dev.tributary.tenancy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenant JWTs through micronaut-security-jwt's validator, as the service configures it: the signatures of
 * {@link TenantJwtSignatures} and the claims of {@link TenantJwtAuthenticationFactory}. JWKS keys come from
 * a server on a local socket whose key set the tests rotate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantJwtTest {

    private static final String SECRET = "a-shared-secret-of-at-least-32-bytes!";

    private final TestDatabase database = TestPostgres.freshDatabase();
    private HttpServer jwksServer;
    private ApplicationContext context;

    /** A key set published at its own path of the local JWKS server, counting how often it is fetched. */
    private record PublishedKeys(String url, AtomicReference<JWKSet> keys, AtomicInteger fetches) {
    }

    @BeforeAll
    void serviceWithASecret() throws IOException {
        jwksServer = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        jwksServer.start();
        context = service(Map.of("tributary.jwt.secret", SECRET));
    }

    @AfterAll
    void stop() {
        context.close();
        jwksServer.stop(0);
    }

    private PublishedKeys publish(String path, JWKSet keys) {
        var published = new PublishedKeys("http://localhost:" + jwksServer.getAddress().getPort() + path,
                new AtomicReference<>(keys), new AtomicInteger());
        jwksServer.createContext(path, exchange -> {
            published.fetches().incrementAndGet();
            byte[] body = published.keys().get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        return published;
    }

    /** A context configured like the service (api's application.yml) plus {@code settings}. */
    private ApplicationContext service(Map<String, Object> settings) {
        Map<String, Object> properties = database.contextProperties();
        properties.putAll(settings);
        properties.put("micronaut.security.token.jwt.claims-validators.expiration", false);
        return ApplicationContext.run(properties);
    }

    private Optional<Authentication> authenticate(String token) {
        return authenticate(context, token);
    }

    private static Optional<Authentication> authenticate(ApplicationContext context, String token) {
        return Mono.from(context.getBean(ReactiveJsonWebTokenValidator.class).validateToken(token, null)).blockOptional();
    }

    static String hs256(String secret, JWTClaimsSet claims) throws Exception {
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes()));
        return jwt.serialize();
    }

    /** A token signed over exactly this payload text, for claims no claims-set builder writes. */
    static String hs256(String secret, String payload) throws Exception {
        var jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(payload));
        jws.sign(new MACSigner(secret.getBytes()));
        return jws.serialize();
    }

    private static JWTClaimsSet.Builder valid() {
        return new JWTClaimsSet.Builder().subject("svc").claim("tenant_id", "acme")
                .claim("roles", List.of("sync:read")).expirationTime(new Date(System.currentTimeMillis() + 60_000));
    }

    // --- what micronaut's validator did not do before: the claims ---------------------------

    @Test
    void acceptsAValidTokenAsItsSubjectWithItsTenantAndImpliedRoles() throws Exception {
        Authentication authentication = authenticate(hs256(SECRET, valid().claim("roles", List.of("sync:write")).build()))
                .orElseThrow();
        assertEquals("jwt:svc", authentication.getName());
        assertEquals(Set.of("sync:read", "sync:write"), Set.copyOf(authentication.getRoles()));
        var principal = Principal.of(authentication).orElseThrow();
        assertEquals(Set.of("acme"), principal.tenants());
        assertEquals(Optional.of(Role.SYNC_WRITE), principal.role());
        var several = hs256(SECRET, valid().claim("tenant_id", null).claim("tenants", List.of("acme", "globex")).build());
        assertEquals(Set.of("acme", "globex"), Principal.of(authenticate(several).orElseThrow()).orElseThrow().tenants());
    }

    @Test
    void refusesExpiredBadlySignedIncompleteAndMalformedTokens() throws Exception {
        var expired = valid().expirationTime(new Date(System.currentTimeMillis() - 3_600_000)).build();
        assertTrue(authenticate(hs256(SECRET, expired)).isEmpty());
        assertTrue(authenticate(hs256("another-secret-of-at-least-32-bytes!!", valid().build())).isEmpty());
        assertTrue(authenticate(hs256(SECRET, valid().expirationTime(null).build())).isEmpty());
        assertTrue(authenticate(hs256(SECRET, valid().subject(null).build())).isEmpty());
        assertTrue(authenticate("not.a.jwt").isEmpty());
        assertTrue(authenticate("garbage").isEmpty());
    }

    @Test
    void aTokenIsInForceFromAMinuteBeforeItsNbfToAMinuteAfterItsExp() throws Exception {
        long now = System.currentTimeMillis();
        assertTrue(authenticate(hs256(SECRET, valid().expirationTime(new Date(now - 30_000)).build())).isPresent(),
                "expired half a minute ago: the issuer's clock may be behind");
        assertTrue(authenticate(hs256(SECRET, valid().expirationTime(new Date(now - 90_000)).build())).isEmpty());
        assertTrue(authenticate(hs256(SECRET, valid().notBeforeTime(new Date(now + 30_000)).build())).isPresent(),
                "valid in half a minute: the issuer's clock may be ahead");
        assertTrue(authenticate(hs256(SECRET, valid().notBeforeTime(new Date(now + 3_600_000)).build())).isEmpty());
    }

    @Test
    void withoutASecretNoHs256TokenIsAccepted() throws Exception {
        try (var noKeys = service(Map.of())) {
            assertTrue(authenticate(noKeys, hs256(SECRET, valid().build())).isEmpty());
        }
    }

    @Test
    void anUnsignedTokenIsRefusedEvenWhenNoKeyIsConfigured() throws Exception {
        var base64 = Base64.getUrlEncoder().withoutPadding();
        long exp = System.currentTimeMillis() / 1000 + 60;
        String unsigned = base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(("{\"sub\":\"svc\",\"exp\":" + exp + ",\"tenant_id\":\"acme\",\"roles\":[\"sync:admin\"]}")
                .getBytes(StandardCharsets.UTF_8)) + ".";
        try (var noKeys = service(Map.of())) {
            assertTrue(authenticate(noKeys, unsigned).isEmpty());
        }
        assertTrue(authenticate(unsigned).isEmpty());
    }

    @Test
    void theSecretSignsHs256Only() throws Exception {
        String longSecret = "a-shared-secret-long-enough-for-hs512-0123456789-0123456789-0123456789";
        try (var longKey = service(Map.of("tributary.jwt.secret", longSecret))) {
            assertTrue(authenticate(longKey, hs256(longSecret, valid().build())).isPresent());
            for (JWSAlgorithm other : List.of(JWSAlgorithm.HS384, JWSAlgorithm.HS512)) {
                var jwt = new SignedJWT(new JWSHeader(other), valid().build());
                jwt.sign(new MACSigner(longSecret.getBytes()));
                assertTrue(authenticate(longKey, jwt.serialize()).isEmpty(), other.getName());
            }
        }
    }

    @Test
    void refusesAShortSecretOrAJwksUrlThatIsNoneNamingTheVariable() {
        var shortSecret = assertThrows(ConfigurationException.class, () -> new JwtConfiguration("short", null));
        assertTrue(shortSecret.getMessage().contains("TRIBUTARY_JWT_SECRET"));
        var notAUrl = assertThrows(ConfigurationException.class, () -> new JwtConfiguration(null, "not a url"));
        assertTrue(notAUrl.getMessage().contains("TRIBUTARY_JWT_JWKS_URL"));
        var startUp = assertThrows(RuntimeException.class, () -> service(Map.of("tributary.jwt.secret", "short")).close());
        assertTrue(causes(startUp).contains("TRIBUTARY_JWT_SECRET"), "start-up stops naming the variable");
    }

    private static String causes(Throwable error) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void refusesClaimsOfTheWrongShape() throws Exception {
        var nullTenant = new ArrayList<Object>();
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
            assertTrue(authenticate(hs256(SECRET, claims)).isEmpty(), claims.toString());
        }
    }

    @Test
    void refusesRequiredClaimsThatAreNullAndTimesThatCannotBeDates() throws Exception {
        long exp = System.currentTimeMillis() / 1000 + 60;
        String grants = "\"tenant_id\": \"acme\", \"roles\": [\"sync:read\"]";
        assertTrue(authenticate(hs256(SECRET, "{\"sub\": \"svc\", \"exp\": " + exp + ", " + grants + "}")).isPresent(),
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
            assertTrue(authenticate(hs256(SECRET, "{" + claims + ", " + grants + "}")).isEmpty(), claims);
        }
    }

    @Test
    void hostileTokensAreRefusedNotThrown() {
        var base64 = Base64.getUrlEncoder().withoutPadding();
        String deep = base64.encodeToString(("{\"alg\":\"HS256\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}")
                .getBytes(StandardCharsets.UTF_8));
        for (String token : List.of("..", "a.b.c", "e30.e30.", deep + ".e30.c2ln", base64.encodeToString("{\"alg\":7}".getBytes())
                + ".e30.c2ln", base64.encodeToString("{\"alg\":\"HS256\"}".getBytes()) + ".W10.c2ln",
                base64.encodeToString("{\"alg\":\"none\"}".getBytes()) + ".e30.", "\u0000.\u0000.\u0000")) {
            assertTrue(authenticate(token).isEmpty(), token);
        }
    }

    // --- JWKS ----------------------------------------------------------------------------------

    @Test
    void jwksKeysAreCachedAndFetchedAgainWhenATokenNamesAKeyIdTheCacheLacks() throws Exception {
        RSAKey first = new RSAKeyGenerator(2048).keyID("rotation-1").generate();
        RSAKey second = new RSAKeyGenerator(2048).keyID("rotation-2").generate();
        var published = publish("/rotating.json", new JWKSet(first.toPublicJWK()));
        try (var jwks = service(Map.of("tributary.jwt.jwks-url", published.url()))) {
            assertEquals("jwt:svc", authenticate(jwks, rs256(first)).orElseThrow().getName());
            assertTrue(authenticate(jwks, rs256(first)).isPresent());
            assertEquals(1, published.fetches().get(), "the key set is fetched once, then cached");

            published.keys().set(new JWKSet(second.toPublicJWK()));
            assertTrue(authenticate(jwks, rs256(second)).isPresent(), "a rotated key is fetched as soon as a token names it");
            assertEquals(2, published.fetches().get());
            assertTrue(authenticate(jwks, rs256(first)).isEmpty(), "the key the issuer withdrew signs nothing any more");
            assertTrue(authenticate(jwks, hs256(SECRET, valid().build())).isEmpty(), "no secret, no HS256");
        }
    }

    @Test
    void es256TokensVerifyAgainstTheJwksAndAForgedOneDoesNot() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ec-key").generate();
        ECKey forger = new ECKeyGenerator(Curve.P_256).keyID("ec-key").generate();
        var published = publish("/ec.json", new JWKSet(key.toPublicJWK()));
        try (var jwks = service(Map.of("tributary.jwt.jwks-url", published.url()))) {
            assertEquals("jwt:svc", authenticate(jwks, es256(key)).orElseThrow().getName());
            assertTrue(authenticate(jwks, es256(forger)).isEmpty(), "same key id, another key");
        }
    }

    private static String rs256(RSAKey key) throws Exception {
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), valid().build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String es256(ECKey key) throws Exception {
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), valid().build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }
}
