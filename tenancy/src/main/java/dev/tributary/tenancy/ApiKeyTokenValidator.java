package dev.tributary.tenancy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Tenant API keys as bearer tokens, in the chain micronaut-security tries every bearer token against (beside
 * the JWT validator): a {@code trb_live_…} token is looked up by its SHA-256 on every request, never cached,
 * so a revoked key is refused from its next request on. It authenticates as the {@link Principal}
 * {@code key:<key id>}, granted its tenant and the strongest of its roles.
 */
@Singleton
public class ApiKeyTokenValidator<T> implements TokenValidator<T> {

    private final ApiKeys apiKeys;
    private final Scheduler blocking;

    public ApiKeyTokenValidator(ApiKeys apiKeys, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.apiKeys = apiKeys;
        this.blocking = Schedulers.fromExecutorService(blocking);
    }

    @Override
    public Publisher<Authentication> validateToken(String token, @Nullable T request) {
        if (!token.startsWith(ApiKeys.KEY_PREFIX)) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> apiKeys.authenticate(token)
                        .map(grant -> new Principal("key:" + grant.keyId(), Set.of(grant.tenantId()),
                                Role.strongest(List.of(grant.roles()))).authentication())
                        .orElse(null))
                .subscribeOn(blocking);
    }
}
