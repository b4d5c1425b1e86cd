package dev.tributary.api.admin;

import dev.tributary.tenancy.ApiKeys;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.security.MessageDigest;
import java.util.List;

/**
 * The operator key ({@code TRIBUTARY_ADMIN_API_KEY}) as a bearer token, the third source micronaut-security
 * tries beside API keys and JWTs: compared in constant time, over SHA-256 digests so not even the key's
 * length leaks. It authenticates as {@link #OPERATOR}, a name no tenant credential can have (theirs are
 * {@code key:…} or {@code jwt:…}); {@link AdminAccessRule} admits only that name to {@code /admin/**}.
 */
@Singleton
public class AdminKeyValidator implements TokenValidator<HttpRequest<?>> {

    /** The name and the one role of the admin key's Authentication; {@code /admin} routes declare {@code @Secured(OPERATOR)}. */
    public static final String OPERATOR = "operator";
    private static final Authentication AUTHENTICATION = Authentication.build(OPERATOR, List.of(OPERATOR));

    @Nullable
    private final byte[] expectedDigest;

    public AdminKeyValidator(AdminConfiguration configuration) {
        this.expectedDigest = configuration.enabled() ? ApiKeys.sha256(configuration.adminApiKey()) : null;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
        return expectedDigest != null && MessageDigest.isEqual(expectedDigest, ApiKeys.sha256(token))
                ? Mono.just(AUTHENTICATION) : Mono.empty();
    }
}
