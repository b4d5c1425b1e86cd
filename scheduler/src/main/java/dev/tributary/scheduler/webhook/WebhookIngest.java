package dev.tributary.scheduler.webhook;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.AppSettings;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.WebhookEvent;
import dev.tributary.connector.WebhookRequest;
import dev.tributary.connector.WebhookVerification;
import dev.tributary.connector.json.CanonicalJson;
import dev.tributary.db.entity.EntityWriter;
import dev.tributary.db.webhook.WebhookEvents;
import dev.tributary.scheduler.engine.EntityRows;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.app.LoadedApp;
import dev.tributary.scheduler.push.ChangePushes;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A provider's webhook call, from signature to entities, in one tenant transaction:
 * the app is looked up, its connector checks the signature and reads the event; the
 * event is recorded in {@code webhook_events}
 * (once per event id: a replay changes nothing) and applied to {@code entities} in
 * the same tenant transaction, so it is applied exactly once or not at all — with the push runs of the sync
 * list items that push on a change of those records ({@link ChangePushes}). An event
 * older than what is stored, by the provider's clock, never overwrites it; events of
 * collections the app does not sync are recorded as ignored.
 *
 * <p>A signed event that cannot be applied — the connector cannot read it, or the
 * database refuses a value in it (an out-of-range time, a character it cannot store) —
 * is recorded as {@code failed}, logged, and answered like any other outcome: the same
 * bytes will never succeed, and providers redeliver every non-2xx answer for days.
 * An event the connector could not give an id gets {@code sha256:<hex of the body>},
 * so its redeliveries are duplicates. Refused signatures are logged at most once per
 * app and minute, with how many were not logged; the metric counts each.
 */
@Singleton
public class WebhookIngest {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookIngest.class);

    /** What became of a verified event. */
    public enum Outcome { PROCESSED, DUPLICATE, IGNORED, FAILED }

    /** The longest event id or type kept as sent; a longer one is not something a provider sends. */
    static final int LONGEST_ID = 255;
    /** How often a refused signature of one app is logged. */
    static final Duration SIGNATURE_LOG_INTERVAL = Duration.ofMinutes(1);

    /** The event's id and what became of it. */
    public record Result(String eventId, Outcome outcome) {
    }

    private final TenantScope scope;
    private final Apps apps;
    private final EntityWriter writer;
    private final WebhookEvents events;
    private final MeterRegistry meters;
    private final Clock clock;
    private final ChangePushes changes;
    /** Per app ({@code tenant/app_key}, apps that exist only): when its last refusal was logged, and how many since. */
    private final Map<String, RefusalLog> refusals = new ConcurrentHashMap<>();

    private record RefusalLog(Instant loggedAt, long unlogged) {
    }

    public WebhookIngest(TenantScope scope, Apps apps, EntityWriter writer, WebhookEvents events,
                         MeterRegistry meters, Clock clock, ChangePushes changes) {
        this.scope = scope;
        this.apps = apps;
        this.writer = writer;
        this.events = events;
        this.meters = meters;
        this.clock = clock;
        this.changes = changes;
    }

    /** Carries a connector's refusal out of the transaction it rolls back. */
    private static final class Refused extends RuntimeException {
        private final ConnectorException cause;

        Refused(ConnectorException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    /** The app was deleted between being looked up and the event being recorded under it. */
    private static final class AppGone extends RuntimeException {
        AppGone() {
            super(null, null, false, false);
        }
    }

    private static final String FOREIGN_KEY_VIOLATION = "23503";

    /**
     * Looks the app up, checks and applies the call, all in one tenant transaction.
     *
     * @return what became of the event; empty when the tenant has no such app
     * @throws ConnectorException.WebhookVerificationFailed when the signature does not check out (the
     *         reason is logged and counted, never answered)
     * @throws ConnectorException when the app's configuration cannot say which collections it syncs
     */
    public Optional<Result> ingest(TenantId tenant, String appKey, WebhookRequest request) throws ConnectorException {
        try {
            return scope.writeJdbc(tenant, c -> {
                Optional<LoadedApp> app = apps.load(tenant, appKey);
                if (app.isEmpty()) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(apply(c, tenant, app.get().connector(), app.get().context(), request));
                } catch (SQLException e) {
                    // webhook_events' only foreign key is the app's: it was deleted meanwhile, as if never there.
                    if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                        throw new AppGone();
                    }
                    throw e;
                }
            });
        } catch (Refused refused) {
            throw refused.cause;
        } catch (AppGone gone) {
            return Optional.empty();
        }
    }

    private Result apply(Connection c, TenantId tenant, Connector connector, AppContext app, WebhookRequest request)
            throws SQLException {
        String provider = connector.metadata().provider();
        WebhookVerification verification;
        try {
            verification = connector.verifyWebhook(app, request);
        } catch (RuntimeException e) {
            // A signature the connector's parser chokes on is a signature that does not check out.
            verification = WebhookVerification.rejected("the signature could not be read: " + e);
        }
        if (!verification.valid()) {
            meters.counter("tributary.webhook.verification.failures", "provider", provider).increment();
            logRefusal(tenant, app.appKey(), verification.reason());
            throw new Refused(new ConnectorException.WebhookVerificationFailed(verification.reason()));
        }
        List<String> synced;
        try {
            synced = connector.collections(app);
        } catch (ConnectorException e) {
            throw new Refused(e); // the app's configuration, not the event, is at fault: the provider should retry
        }
        WebhookEvent event;
        try {
            event = connector.parseWebhook(app, request);
        } catch (ConnectorException | RuntimeException e) {
            return failed(c, tenant, app, provider, bodyDigest(request), "unknown", "the connector could not read it: " + e);
        }
        Map<String, List<NormalizedEntity>> byCollection = event.entities().stream()
                .filter(entity -> synced.contains(entity.collectionKey()))
                .collect(Collectors.groupingBy(NormalizedEntity::collectionKey, LinkedHashMap::new, Collectors.toList()));
        String payload = AppSettings.logWebhookPayloads(app) ? loggable(request) : null;
        Instant now = clock.instant();
        Savepoint before = c.setSavepoint();
        Result result;
        try {
            result = write(c, tenant, app, event, byCollection, payload, now);
        } catch (SQLException e) {
            if (!refusedValue(e)) {
                throw e; // the database is in trouble, not the event: a 5xx, which the provider retries
            }
            c.rollback(before);
            return failed(c, tenant, app, provider, storable(event.eventId()) ? event.eventId() : bodyDigest(request),
                    storable(event.eventType()) ? event.eventType() : "unknown", "the database refused a value in it: "
                            + e.getMessage());
        }
        c.releaseSavepoint(before);
        meters.counter("tributary.webhook.events", "provider", provider,
                "outcome", result.outcome().name().toLowerCase()).increment();
        return result;
    }

    /** Records a verified event that cannot be applied as failed (once per id), so that it is not redelivered for days. */
    private Result failed(Connection c, TenantId tenant, AppContext app, String provider, String eventId,
                          String eventType, String reason) throws SQLException {
        Outcome outcome = events.record(c, tenant.value(), app.appKey(), eventId, eventType, "failed", null,
                clock.instant()) ? Outcome.FAILED : Outcome.DUPLICATE;
        if (outcome == Outcome.FAILED) {
            LOG.warn("Webhook event {} for {}/{} recorded as failed: {}", eventId, tenant.value(), app.appKey(), reason);
        }
        meters.counter("tributary.webhook.events", "provider", provider,
                "outcome", outcome.name().toLowerCase()).increment();
        return new Result(eventId, outcome);
    }

    /**
     * SQLSTATE classes 22 (data exception: a time out of range, a character the encoding lacks) and 54
     * (program limit: a value too large to index): the values, not the database, are at fault.
     */
    private static boolean refusedValue(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("54"));
    }

    /**
     * The payload to keep in webhook_events: its canonical text, which drops what jsonb refuses
     * (NUL, unpaired surrogates) like the stored entities do; the connector has already read it as JSON.
     */
    private static String loggable(WebhookRequest request) {
        try {
            return CanonicalJson.text(CanonicalJson.parse(request.body())).json();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean storable(String value) {
        return value != null && !value.isEmpty() && value.length() <= LONGEST_ID && value.indexOf(0) < 0;
    }

    private static String bodyDigest(WebhookRequest request) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(request.body()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Logs a refused signature unless this app's last one was logged within the minute; then counts it instead. */
    private void logRefusal(TenantId tenant, String appKey, String reason) {
        Instant now = clock.instant();
        RefusalLog[] logNow = new RefusalLog[1];
        refusals.compute(tenant.value() + "/" + appKey, (app, last) -> {
            if (last == null || !now.isBefore(last.loggedAt().plus(SIGNATURE_LOG_INTERVAL))) {
                logNow[0] = last == null ? new RefusalLog(now, 0) : last;
                return new RefusalLog(now, 0);
            }
            return new RefusalLog(last.loggedAt(), last.unlogged() + 1);
        });
        if (logNow[0] != null) {
            LOG.warn("Webhook for {}/{} refused: {}{}", tenant.value(), appKey, reason, logNow[0].unlogged() == 0 ? ""
                    : " (and " + logNow[0].unlogged() + " more refused since the last such line, not logged)");
        }
    }

    /** Records the event (once per id) and applies it to entities, on the transaction's connection. */
    private Result write(Connection c, TenantId tenant, AppContext app, WebhookEvent event,
                         Map<String, List<NormalizedEntity>> byCollection, String payload, Instant now)
            throws SQLException {
        Outcome outcome = byCollection.isEmpty() ? Outcome.IGNORED : Outcome.PROCESSED;
        if (!events.record(c, tenant.value(), app.appKey(), event.eventId(), event.eventType(),
                outcome.name().toLowerCase(), payload, now)) {
            return new Result(event.eventId(), Outcome.DUPLICATE);
        }
        for (var collection : byCollection.entrySet()) {
            Map<String, Instant> at = new LinkedHashMap<>();
            collection.getValue().forEach(e -> at.put(e.externalId(), event.occurredAt()));
            switch (event.action()) {
                case DELETE -> writer.remove(c, tenant.value(), app.appKey(), collection.getKey(), at, false);
                case ARCHIVE -> writer.archive(c, tenant.value(), app.appKey(), collection.getKey(), at, now);
                default -> {
                    writer.upsert(c, tenant.value(), app.appKey(), collection.getKey(),
                            collection.getValue().stream().map(EntityRows::of).toList(), now, 0);
                    changes.changed(tenant, app.appKey(), collection.getKey(),
                            collection.getValue().stream().map(NormalizedEntity::externalId).toList());
                }
            }
        }
        return new Result(event.eventId(), outcome);
    }
}
