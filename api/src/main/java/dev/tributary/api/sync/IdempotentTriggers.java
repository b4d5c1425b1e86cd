package dev.tributary.api.sync;

import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.JsonBodies;
import dev.tributary.connector.json.CanonicalJson;
import dev.tributary.db.idempotency.IdempotencyKeys;
import dev.tributary.db.run.SyncRun;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Triggers with Stripe's idempotency semantics. A key (the {@code Idempotency-Key}
 * header or {@code idempotency_key} in the body) is claimed, per tenant, in a
 * transaction of its own before any work; the run, its trigger and the kept response
 * then commit together. The same key again with the same body (compared as canonical
 * JSON, without the key itself) gets the kept response, marked replayed; with another
 * body, 422 {@code idempotency_key_reused}; while the first is still in flight, 409
 * {@code idempotency_key_in_use} (the status codes of the IETF draft "The Idempotency-Key
 * HTTP Header Field"). A key is 1 to 255 visible ASCII characters, else 400. A refused
 * request (4xx) keeps nothing, so the key can be used again. Keys expire after
 * {@code tributary.idempotency.ttl}.
 */
@Singleton
public class IdempotentTriggers {

    /** A claim left unanswered this long belongs to a request that died; its key is free again. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);
    private static final Pattern KEY = Pattern.compile("^[\\x21-\\x7E]{1,255}$");

    /** The header that marks a replayed answer. */
    public static final String REPLAYED = "Idempotent-Replayed";

    /** The answer to send: the run as queued ({@code view}), and whether it is a replay of an earlier answer. */
    public record Answer<V>(int status, V run, boolean replayed) {

        /** The answer as sent: its status and view, {@code Location} the run's status, {@link #REPLAYED} on a replay. */
        public MutableHttpResponse<V> response(UUID syncId) {
            MutableHttpResponse<V> response = HttpResponse.<V>status(HttpStatus.valueOf(status)).body(run)
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .headers(h -> h.location(URI.create("/api/sync/status/" + syncId)));
            return replayed ? response.header(REPLAYED, "true") : response;
        }
    }

    /**
     * A kind of trigger: its body, the idempotency key it may carry, how it queues its run and how the run is
     * answered (the view kept for replays).
     */
    public interface Trigger<B, V> {
        Class<B> bodyType();

        Class<V> viewType();

        @Nullable
        String keyOf(B body);

        SyncRun queue(B body, @Nullable String key);

        V view(SyncRun run);
    }

    private final SyncTriggers triggers;
    private final IdempotencyKeys keys;
    private final TenantScope scope;
    private final JsonBodies bodies;
    private final Clock clock;
    private final Duration ttl;

    IdempotentTriggers(SyncTriggers triggers, IdempotencyKeys keys, TenantScope scope,
                       JsonBodies bodies, Clock clock,
                       @Value("${tributary.idempotency.ttl}") Duration ttl) {
        this.triggers = triggers;
        this.keys = keys;
        this.scope = scope;
        this.bodies = bodies;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** {@code POST /api/sync}. */
    Answer<QueuedRunView> trigger(TenantId tenant, byte[] bytes, String headerKey) {
        return trigger(tenant, bytes, headerKey, null, new Trigger<SyncTriggerRequest, QueuedRunView>() {
            @Override
            public Class<SyncTriggerRequest> bodyType() {
                return SyncTriggerRequest.class;
            }

            @Override
            public Class<QueuedRunView> viewType() {
                return QueuedRunView.class;
            }

            @Override
            public String keyOf(SyncTriggerRequest body) {
                return body.idempotencyKey();
            }

            @Override
            public SyncRun queue(SyncTriggerRequest body, String key) {
                return triggers.trigger(tenant, body, key);
            }

            @Override
            public QueuedRunView view(SyncRun run) {
                return QueuedRunView.of(run);
            }
        });
    }

    /**
     * Any trigger with these semantics. {@code caller}, when not null, is part of what a key is compared by: the
     * same key and body from another caller is another request (422), so one owner never gets another's answer.
     */
    public <B, V> Answer<V> trigger(TenantId tenant, byte[] bytes, String headerKey,
                                    @Nullable String caller, Trigger<B, V> trigger) {
        String rawBody = JsonBodies.text(bytes);
        B body = bodies.read(rawBody, trigger.bodyType());
        String key = key(headerKey, trigger.keyOf(body));
        if (key == null) {
            SyncRun run = trigger.queue(body, null);
            return new Answer<>(HttpStatus.ACCEPTED.getCode(), trigger.view(run), false);
        }
        byte[] hash = requestHash(rawBody, caller);
        Instant now = clock.instant();
        boolean claimed = scope.writeJdbc(tenant, c -> keys.claim(c, tenant.value(), key, hash, now.plus(ttl),
                now.minus(ABANDONED_AFTER)));
        if (!claimed) {
            return replay(tenant, key, hash, trigger.viewType());
        }
        try {
            return scope.write(tenant, () -> {
                SyncRun run = trigger.queue(body, key);
                V answer = trigger.view(run);
                scope.writeJdbc(tenant, c -> {
                    keys.complete(c, tenant.value(), key, HttpStatus.ACCEPTED.getCode(), answer, run.id());
                    return null;
                });
                return new Answer<>(HttpStatus.ACCEPTED.getCode(), answer, false);
            });
        } catch (RuntimeException e) {
            scope.writeJdbc(tenant, c -> {
                keys.release(c, tenant.value(), key);
                return null;
            });
            throw e;
        }
    }

    private <V> Answer<V> replay(TenantId tenant, String key, byte[] hash, Class<V> viewType) {
        IdempotencyKeys.Entry<V> entry = scope.readJdbc(tenant,
                        c -> keys.find(c, tenant.value(), key, hash, viewType))
                .orElseThrow(() -> inUse(key)); // released between our claim and this read: as good as in flight
        if (!Arrays.equals(entry.requestHash(), hash)) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency_key_reused", "Idempotency key " + key
                    + " was used with a different request; use a new key for a new request");
        }
        if (entry.inFlight()) {
            throw inUse(key);
        }
        // Stored as jsonb (keys reordered): read back into the same view, the replay reads as the first answer did.
        return new Answer<>(entry.responseStatus(), entry.response(), true);
    }

    private static ApiProblem inUse(String key) {
        return new ApiProblem(HttpStatus.CONFLICT, "idempotency_key_in_use", "A request with idempotency key " + key
                + " is still in progress; retry once it has finished");
    }

    private static String key(String header, String inBody) {
        if (header != null && inBody != null && !header.equals(inBody)) {
            throw ApiProblem.invalidField("idempotency_key", "differs from the Idempotency-Key header; send one key");
        }
        String key = header != null ? header : inBody;
        if (key != null && !KEY.matcher(key).matches()) {
            throw ApiProblem.invalidField("idempotency_key", "must be 1 to 255 visible ASCII characters");
        }
        return key;
    }

    /**
     * SHA-256 of the body's canonical JSON without the key (header and body keys compare alike), after the
     * caller's id and a NUL when there is one.
     */
    private static byte[] requestHash(String rawBody, String caller) {
        try {
            CanonicalJson.Text text = CanonicalJson.text(CanonicalJson.without(CanonicalJson.parse(rawBody),
                    Set.of("idempotency_key")));
            if (caller == null) {
                return text.sha256();
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((caller + "\0").getBytes(StandardCharsets.UTF_8));
            return digest.digest(text.json().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        } catch (IOException e) {
            throw ApiProblem.badRequest("malformed_json", "The request body is not valid JSON");
        }
    }
}
