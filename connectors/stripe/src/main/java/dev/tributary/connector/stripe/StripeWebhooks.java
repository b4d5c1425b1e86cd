package dev.tributary.connector.stripe;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.WebhookEvent;
import dev.tributary.connector.WebhookRequest;
import dev.tributary.connector.WebhookVerification;
import dev.tributary.connector.json.CanonicalJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stripe's webhooks: the {@code Stripe-Signature} check (the SDK's: HMAC-SHA256 of
 * {@code t.payload}, any of several {@code v1} values, within the tolerance), and an
 * event turned into what it does to which entities. The collection comes from the
 * object's type, so an event Stripe names differently (charge.refund.updated carries a
 * refund) still lands in the right place; events of objects not synced carry no entities.
 */
final class StripeWebhooks {

    static final String SIGNATURE_HEADER = "Stripe-Signature";

    private StripeWebhooks() {
    }

    static WebhookVerification verify(String secret, WebhookRequest request, Duration tolerance, Clock clock) {
        if (secret == null || secret.isEmpty()) {
            return WebhookVerification.rejected("the app has no webhook_secret");
        }
        Optional<String> header = request.header(SIGNATURE_HEADER);
        if (header.isEmpty()) {
            return WebhookVerification.rejected("no " + SIGNATURE_HEADER + " header");
        }
        try {
            Webhook.Signature.verifyHeader(new String(request.body(), StandardCharsets.UTF_8), header.get(), secret,
                    tolerance.toSeconds(), clock);
            return WebhookVerification.ok();
        } catch (SignatureVerificationException e) {
            return WebhookVerification.rejected(e.getMessage());
        }
    }

    static WebhookEvent parse(WebhookRequest request) throws ConnectorException {
        CanonicalJson.Value event;
        try {
            event = CanonicalJson.parse(new String(request.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConnectorException.Rejected("the event is not JSON");
        }
        String id = CanonicalJson.scalarAt(event, "/id");
        String type = CanonicalJson.scalarAt(event, "/type");
        Instant created = StripeObjects.epochSeconds(CanonicalJson.scalarAt(event, "/created"));
        CanonicalJson.Value object = CanonicalJson.valueAt(event, "/data/object");
        if (id == null || type == null || created == null || !(object instanceof CanonicalJson.Members)) {
            throw new ConnectorException.Rejected("the event lacks an id, type, created time or data.object");
        }
        Optional<StripeCollection> collection = StripeCollection.byObjectType(
                String.valueOf(CanonicalJson.scalarAt(object, "/object")));
        if (collection.isEmpty() || CanonicalJson.scalarAt(object, "/id") == null) {
            return new WebhookEvent(id, type, WebhookEvent.Action.UPDATE, List.of(), created);
        }
        List<NormalizedEntity> entities = new ArrayList<>();
        entities.add(StripeObjects.entity(collection.get(), object, created));
        if (collection.get() == StripeCollection.SUBSCRIPTION) {
            entities.addAll(StripeObjects.items(object, created));
        }
        // A canceled subscription or an inactive product is an update whose new state is archived.
        WebhookEvent.Action action = deletes(collection.get(), type, object) ? WebhookEvent.Action.DELETE
                : type.endsWith(".created") ? WebhookEvent.Action.CREATE : WebhookEvent.Action.UPDATE;
        return new WebhookEvent(id, type, action, entities, created);
    }

    /** Whether the event removes the object: a deleted event (a canceled subscription is archived instead). */
    static boolean deletes(StripeCollection collection, String type, CanonicalJson.Value object) {
        return collection.deletable() && (type != null && type.endsWith(".deleted")
                || "true".equals(CanonicalJson.scalarAt(object, "/deleted")));
    }
}
