package dev.tributary.connector.stripe;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.UnixSeconds;
import dev.tributary.connector.WebhookEvent;
import dev.tributary.connector.WebhookRequest;
import dev.tributary.connector.WebhookVerification;
import dev.tributary.connector.json.CanonicalJson;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Stripe's webhooks: the {@code Stripe-Signature} check (the SDK's: HMAC-SHA256 of
 * {@code t.payload}, any of several {@code v1} values, within the tolerance), and an
 * event turned into what it does to which entities. The collection comes from the
 * object's type, so an event Stripe names differently (charge.refund.updated carries a
 * refund) still lands in the right place; events of objects not synced carry no entities.
 */
final class StripeWebhooks {

    static final String SIGNATURE_HEADER = "Stripe-Signature";

    /** Longer than any header Stripe sends (a timestamp and a few signatures), far shorter than a flood. */
    static final int LONGEST_HEADER = 2048;
    /** Unix seconds, up to year 33658: a 25-digit "timestamp" is not one. */
    private static final Pattern UNIX_SECONDS = Pattern.compile("[0-9]{1,12}");
    private static final Pattern HMAC_SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private StripeWebhooks() {
    }

    static WebhookVerification verify(String secret, WebhookRequest request, Duration tolerance, Clock clock) {
        if (secret == null || secret.isEmpty()) {
            return WebhookVerification.rejected("the app has no webhook_secret");
        }
        List<String> headers = request.headerValues(SIGNATURE_HEADER);
        Optional<String> malformed = malformed(headers);
        if (malformed.isPresent()) {
            return WebhookVerification.rejected(malformed.get());
        }
        try {
            Webhook.Signature.verifyHeader(new String(request.body(), StandardCharsets.UTF_8), headers.get(0), secret,
                    tolerance.toSeconds(), clock);
            return WebhookVerification.ok();
        } catch (SignatureVerificationException e) {
            return WebhookVerification.rejected(ConnectorException.describe(e));
        }
    }

    /**
     * Why the {@code Stripe-Signature} header cannot be checked, or empty when it has Stripe's shape:
     * one header of {@code key=value} parts joined by commas, exactly one {@code t} (Unix seconds) and at
     * least one {@code v1} (64 lowercase hex digits; two while a secret is rolled); other schemes
     * ({@code v0}) are Stripe's to add and left to the SDK, which ignores them. The SDK itself throws
     * runtime exceptions on an empty or non-numeric {@code t}, so nothing else reaches it.
     */
    static Optional<String> malformed(List<String> headers) {
        if (headers.isEmpty()) {
            return Optional.of("no " + SIGNATURE_HEADER + " header");
        }
        if (headers.size() > 1) {
            return Optional.of(headers.size() + " " + SIGNATURE_HEADER + " headers; Stripe sends one");
        }
        String header = headers.get(0);
        if (header.length() > LONGEST_HEADER) {
            return Optional.of("the " + SIGNATURE_HEADER + " header is longer than " + LONGEST_HEADER + " characters");
        }
        int timestamps = 0;
        int signatures = 0;
        for (String part : header.split(",", -1)) {
            int equals = part.indexOf('=');
            if (equals <= 0) {
                return Optional.of("the " + SIGNATURE_HEADER + " header has a part that is not key=value");
            }
            String value = part.substring(equals + 1);
            switch (part.substring(0, equals)) {
                case "t" -> {
                    if (++timestamps > 1) {
                        return Optional.of("the " + SIGNATURE_HEADER + " header has t more than once");
                    }
                    if (!UNIX_SECONDS.matcher(value).matches()) {
                        return Optional.of("the " + SIGNATURE_HEADER + " header's t is not a Unix time in seconds");
                    }
                }
                case "v1" -> {
                    signatures++;
                    if (!HMAC_SHA256_HEX.matcher(value).matches()) {
                        return Optional.of("a v1 signature is not 64 lowercase hex digits");
                    }
                }
                default -> {
                    // v0 (test-mode signatures) and schemes Stripe may add: the SDK checks v1 only.
                }
            }
        }
        if (timestamps == 0) {
            return Optional.of("the " + SIGNATURE_HEADER + " header has no t");
        }
        if (signatures == 0) {
            return Optional.of("the " + SIGNATURE_HEADER + " header has no v1 signature");
        }
        return Optional.empty();
    }

    /**
     * The event a verified body carries. Anything but a Stripe event — not UTF-8 JSON, not an object,
     * an id, type, created or data.object missing or of the wrong kind, an object of a synced type
     * without an id, a time PostgreSQL cannot store — is {@link ConnectorException.Rejected}, saying what.
     */
    static WebhookEvent parse(WebhookRequest request) throws ConnectorException {
        CanonicalJson.Value event = request.jsonObject("event");
        String id = CanonicalJson.stringAt(event, "/id");
        String type = CanonicalJson.stringAt(event, "/type");
        CanonicalJson.Value object = CanonicalJson.valueAt(event, "/data/object");
        if (id == null || type == null || !(object instanceof CanonicalJson.Members)) {
            throw new ConnectorException.Rejected("the event lacks a string id, a string type or a data.object");
        }
        try {
            Instant created = UnixSeconds.at(event, "created");
            if (created == null) {
                throw new IllegalArgumentException("the event has no created time");
            }
            Optional<StripeCollection> collection = StripeCollection.byObjectType(
                    String.valueOf(CanonicalJson.scalarAt(object, "/object")));
            if (collection.isEmpty()) {
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
        } catch (IllegalArgumentException e) {
            throw new ConnectorException.Rejected("event " + id + " cannot be stored: " + ConnectorException.describe(e));
        }
    }

    /** Whether the event removes the object: a deleted event (a canceled subscription is archived instead). */
    static boolean deletes(StripeCollection collection, String type, CanonicalJson.Value object) {
        return collection.deletable() && (type != null && type.endsWith(".deleted")
                || "true".equals(CanonicalJson.scalarAt(object, "/deleted")));
    }
}
