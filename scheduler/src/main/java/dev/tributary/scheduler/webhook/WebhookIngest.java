package dev.tributary.scheduler.webhook;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.AppSettings;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.WebhookEvent;
import dev.tributary.connector.WebhookRequest;
import dev.tributary.connector.WebhookVerification;
import dev.tributary.db.entity.EntityWriter;
import dev.tributary.db.webhook.WebhookEvents;
import dev.tributary.scheduler.engine.EntityRows;
import dev.tributary.scheduler.run.AppDirectory;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A provider's webhook call, from signature to entities, in one tenant transaction:
 * the app is looked up, its connector checks the signature and reads the event; the
 * event is recorded in {@code webhook_events}
 * (once per event id: a replay changes nothing) and applied to {@code entities} in
 * the same tenant transaction, so it is applied exactly once or not at all. An event
 * older than what is stored, by the provider's clock, never overwrites it; events of
 * collections the app does not sync are recorded as ignored.
 */
@Singleton
public class WebhookIngest {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookIngest.class);

    /** What became of a verified event. */
    public enum Outcome { PROCESSED, DUPLICATE, IGNORED }

    /** The event's id and what became of it. */
    public record Result(String eventId, Outcome outcome) {
    }

    private final TenantScope scope;
    private final AppDirectory apps;
    private final EntityWriter writer;
    private final WebhookEvents events;
    private final MeterRegistry meters;
    private final Clock clock;

    public WebhookIngest(TenantScope scope, AppDirectory apps, EntityWriter writer, WebhookEvents events,
                         MeterRegistry meters, Clock clock) {
        this.scope = scope;
        this.apps = apps;
        this.writer = writer;
        this.events = events;
        this.meters = meters;
        this.clock = clock;
    }

    /** Carries a connector's refusal out of the transaction it rolls back. */
    private static final class Refused extends RuntimeException {
        private final ConnectorException cause;

        Refused(ConnectorException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    /**
     * Looks the app up, checks and applies the call, all in one tenant transaction.
     *
     * @return what became of the event; empty when the tenant has no such app
     * @throws ConnectorException.WebhookVerificationFailed when the signature does not check out (the
     *         reason is logged and counted, never answered)
     * @throws ConnectorException when the verified event cannot be read
     */
    public Optional<Result> ingest(TenantId tenant, String appKey, WebhookRequest request) throws ConnectorException {
        try {
            return scope.writeJdbc(tenant, c -> {
                Optional<AppDirectory.AppConnection> app = apps.find(tenant, appKey);
                if (app.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(apply(c, tenant, app.get().connector(), app.get().context(), request));
            });
        } catch (Refused refused) {
            throw refused.cause;
        }
    }

    private Result apply(Connection c, TenantId tenant, Connector connector, AppContext app, WebhookRequest request)
            throws SQLException {
        String provider = connector.metadata().provider();
        WebhookVerification verification = connector.verifyWebhook(app, request);
        if (!verification.valid()) {
            meters.counter("tributary.webhook.verification.failures", "provider", provider).increment();
            LOG.warn("Webhook for {}/{} refused: {}", tenant.value(), app.appKey(), verification.reason());
            throw new Refused(new ConnectorException.WebhookVerificationFailed(verification.reason()));
        }
        WebhookEvent event;
        List<String> synced;
        try {
            event = connector.parseWebhook(app, request);
            synced = connector.collections(app);
        } catch (ConnectorException e) {
            throw new Refused(e);
        }
        Map<String, List<NormalizedEntity>> byCollection = event.entities().stream()
                .filter(entity -> synced.contains(entity.collectionKey()))
                .collect(Collectors.groupingBy(NormalizedEntity::collectionKey, LinkedHashMap::new, Collectors.toList()));
        String payload = AppSettings.logWebhookPayloads(app) ? new String(request.body(), StandardCharsets.UTF_8) : null;
        Instant now = clock.instant();
        Result result = write(c, tenant, app, event, byCollection, payload, now);
        meters.counter("tributary.webhook.events", "provider", provider,
                "outcome", result.outcome().name().toLowerCase()).increment();
        return result;
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
                default -> writer.upsert(c, tenant.value(), app.appKey(), collection.getKey(),
                        collection.getValue().stream().map(EntityRows::of).toList(), now, 0);
            }
        }
        return new Result(event.eventId(), outcome);
    }
}
