package dev.tributary.tenancy;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues, lists, revokes and recognises tenants' API keys. A key is
 * {@code trb_live_} followed by 32 random bytes (base64url); only its SHA-256 is
 * stored, so the key itself exists only in the response that created it.
 */
@Singleton
public class ApiKeys {

    public static final String KEY_PREFIX = "trb_live_";
    private static final int VISIBLE_PREFIX_LENGTH = KEY_PREFIX.length() + 6;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key just issued: {@code key} is the only copy of the secret. */
    public record IssuedKey(ApiKey stored, String key) {
        @Override
        public String toString() {
            return "IssuedKey[" + stored.prefix() + "…]";
        }
    }

    private final ApiKeyRepository repository;
    private final TenantScope scope;
    private final Clock clock;

    public ApiKeys(ApiKeyRepository repository, TenantScope scope, Clock clock) {
        this.repository = repository;
        this.scope = scope;
        this.clock = clock;
    }

    public IssuedKey issue(TenantId tenant, String name, Collection<Role> roles) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        var stored = new ApiKey(UUID.randomUUID(), tenant.value(), name, sha256(key),
                key.substring(0, VISIBLE_PREFIX_LENGTH),
                roles.stream().sorted().map(Role::claim).toArray(String[]::new),
                clock.instant(), null, null);
        return new IssuedKey(scope.write(tenant, () -> repository.save(stored)), key);
    }

    public List<ApiKey> list(TenantId tenant) {
        return scope.read(tenant, () -> repository.findByTenantIdOrderByCreatedAtDesc(tenant.value()));
    }

    /** Revokes the key (keeping the first revocation time); empty when the tenant has no such key. */
    public Optional<ApiKey> revoke(TenantId tenant, UUID keyId) {
        return scope.write(tenant, () -> repository.findByTenantIdAndId(tenant.value(), keyId).map(key -> {
            if (key.revokedAt() != null) {
                return key;
            }
            Instant now = clock.instant();
            repository.updateRevokedAt(key.id(), now);
            return new ApiKey(key.id(), key.tenantId(), key.name(), key.keyHash(), key.prefix(), key.roles(),
                    key.createdAt(), key.lastUsedAt(), now);
        }));
    }

    /** What a presented key grants, if it is a live key. */
    @Transactional
    public Optional<ApiKeyRepository.KeyGrant> authenticate(String presented) {
        if (!presented.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        return repository.authenticate(sha256(presented));
    }

    /** The SHA-256 of a presented secret: what is stored and compared, never the secret itself. */
    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
