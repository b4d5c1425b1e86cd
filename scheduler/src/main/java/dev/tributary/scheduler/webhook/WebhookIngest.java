package dev.tributary.scheduler.webhook;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.WebhookEvent;
import dev.tributary.connector.WebhookRequest;
import dev.tributary.connector.WebhookVerification;
import dev.tributary.db.entity.EntityWriter;
import dev.tributary.db.entity.WriteResult;
import dev.tributary.db.webhook.WebhookEvents;
import dev.tributary.scheduler.engine.EntityRows;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A provider's webhook call, from signature to entities: the connector checks the
 * signature and reads the event; the event is recorded in {@code webhook_events}
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

    /** The event's id, what became of it, and how many entities it wrote, removed, or found newer. */
    public record Result(String eventId, Outcome outcome, long written, long removed, long stale) {
    }

    private final TenantScope scope;
    private final EntityWriter writer;
    private final WebhookEvents events;
    private final MeterRegistry meters;
    private final Clock clock;

    public WebhookIngest(TenantScope scope, EntityWriter writer, WebhookEvents events,
                         MeterRegistry meters, Clock clock) {
        this.scope = scope;
        this.writer = writer;
        this.events = events;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * @throws ConnectorException.WebhookVerificationFailed when the signature does not check out (the
     *         reason is logged and counted, never answered)
     * @throws ConnectorException when the verified event cannot be read
     */
    public Result ingest(TenantId tenant, Connector connector, AppContext app, WebhookRequest request)
            throws ConnectorException {
        String provider = connector.metadata().provider();
        WebhookVerification verification = connector.verifyWebhook(app, request);
        if (!verification.valid()) {
            meters.counter("tributary.webhook.verification.failures", "provider", provider).increment();
            LOG.warn("Webhook for {}/{} refused: {}", tenant.value(), app.appKey(), verification.reason());
            throw new ConnectorException.WebhookVerificationFailed(verification.reason());
        }
        WebhookEvent event = connector.parseWebhook(app, request);
        List<String> synced = connector.collections(app);
        Map<String, List<NormalizedEntity>> byCollection = event.entities().stream()
                .filter(entity -> synced.contains(entity.collectionKey()))
                .collect(Collectors.groupingBy(NormalizedEntity::collectionKey, LinkedHashMap::new, Collectors.toList()));
        String payload = Boolean.TRUE.equals(app.config().get("log_webhook_payloads"))
                ? new String(request.body(), StandardCharsets.UTF_8) : null;
        Instant now = clock.instant();
        Result result = scope.writeJdbc(tenant, c -> {
            if (!events.record(c, tenant.value(), app.appKey(), event.eventId(), event.eventType(), payload, now)) {
                return new Result(event.eventId(), Outcome.DUPLICATE, 0, 0, 0);
            }
            if (byCollection.isEmpty()) {
                events.settle(c, tenant.value(), app.appKey(), event.eventId(), "ignored", now);
                return new Result(event.eventId(), Outcome.IGNORED, 0, 0, 0);
            }
            long written = 0;
            long removed = 0;
            long stale = 0;
            for (var collection : byCollection.entrySet()) {
                Map<String, Instant> at = new LinkedHashMap<>();
                collection.getValue().forEach(e -> at.put(e.externalId(), event.occurredAt()));
                if (event.action() == WebhookEvent.Action.DELETE) {
                    int gone = writer.remove(c, tenant.value(), app.appKey(), collection.getKey(), at, false).size();
                    removed += gone;
                    stale += at.size() - gone;
                } else if (event.action() == WebhookEvent.Action.ARCHIVE) {
                    written += writer.archive(c, tenant.value(), app.appKey(), collection.getKey(), at, now);
                } else {
                    WriteResult write = writer.write(c, tenant.value(), app.appKey(), collection.getKey(),
                            collection.getValue().stream().map(EntityRows::of).toList(), now, false, 0);
                    written += write.created() + write.updated();
                    stale += write.stale();
                }
            }
            events.settle(c, tenant.value(), app.appKey(), event.eventId(), "processed", now);
            return new Result(event.eventId(), Outcome.PROCESSED, written, removed, stale);
        });
        meters.counter("tributary.webhook.events", "provider", provider,
                "outcome", result.outcome().name().toLowerCase()).increment();
        return result;
    }
}
