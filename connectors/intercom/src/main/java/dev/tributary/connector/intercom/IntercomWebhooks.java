package dev.tributary.connector.intercom;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.WebhookEvent;
import dev.tributary.connector.WebhookRequest;
import dev.tributary.connector.WebhookVerification;
import dev.tributary.connector.json.CanonicalJson;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Intercom's webhooks: {@code X-Hub-Signature: sha1=<hex>}, an HMAC-SHA1 of the body with
 * the app's client secret, compared in constant time (Intercom signs no timestamp, so a
 * replay is caught by the notification id instead); and a notification turned into what
 * it does to which entity. {@code *.deleted} topics carry only the object's id; a
 * {@code contact.archived} marks the stored contact archived; any other notification
 * whose item lacks {@code updated_at} (not the whole object) changes nothing.
 */
final class IntercomWebhooks {

    static final String SIGNATURE_HEADER = "X-Hub-Signature";

    private IntercomWebhooks() {
    }

    /**
     * Checks the signature against the client secret, or — while it is being rotated — the
     * previous one ({@code previousSecret}, null when none).
     */
    static WebhookVerification verify(String clientSecret, String previousSecret, WebhookRequest request) {
        if (clientSecret == null || clientSecret.isEmpty()) {
            return WebhookVerification.rejected("the app has no client_secret");
        }
        Optional<String> header = request.header(SIGNATURE_HEADER);
        if (header.isEmpty() || !header.get().startsWith("sha1=")) {
            return WebhookVerification.rejected("no " + SIGNATURE_HEADER + " header of the form sha1=<hex>");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.get().substring("sha1=".length()));
        } catch (IllegalArgumentException e) {
            return WebhookVerification.rejected("the signature is not hex");
        }
        for (String secret : previousSecret == null || previousSecret.isEmpty() ? List.of(clientSecret)
                : List.of(clientSecret, previousSecret)) {
            if (MessageDigest.isEqual(hmacSha1(secret, request.body()), given)) {
                return WebhookVerification.ok();
            }
        }
        return WebhookVerification.rejected("the signature does not match the body");
    }

    private static byte[] hmacSha1(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }

    static WebhookEvent parse(WebhookRequest request) throws ConnectorException {
        CanonicalJson.Value notification;
        try {
            notification = CanonicalJson.parse(new String(request.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConnectorException.Rejected("the notification is not JSON");
        }
        String id = CanonicalJson.scalarAt(notification, "/id");
        String topic = CanonicalJson.scalarAt(notification, "/topic");
        Instant created = IntercomObjects.epochSeconds(CanonicalJson.scalarAt(notification, "/created_at"));
        CanonicalJson.Value item = CanonicalJson.valueAt(notification, "/data/item");
        if (id == null || topic == null || created == null || !(item instanceof CanonicalJson.Members)) {
            throw new ConnectorException.Rejected("the notification lacks an id, topic, created_at or data.item");
        }
        Optional<IntercomCollection> collection = IntercomCollection.byType(
                String.valueOf(CanonicalJson.scalarAt(item, "/type")));
        if (collection.isEmpty() || CanonicalJson.scalarAt(item, "/id") == null) {
            return new WebhookEvent(id, topic, WebhookEvent.Action.UPDATE, List.of(), created);
        }
        boolean archives = topic.equals("contact.archived");
        NormalizedEntity entity = IntercomObjects.entity(collection.get(), item, created, archives ? created : null);
        boolean wholeObject = CanonicalJson.scalarAt(item, "/updated_at") != null || collection.get().timeless();
        if (topic.endsWith(".deleted") || topic.equals("admin.removed_from_workspace")) {
            return new WebhookEvent(id, topic, WebhookEvent.Action.DELETE, List.of(entity), created);
        }
        if (archives) {
            return new WebhookEvent(id, topic, WebhookEvent.Action.ARCHIVE, List.of(entity), created);
        }
        if (!wholeObject) {
            // Only the id came: storing it would wipe the stored object; the next sync brings the change.
            return new WebhookEvent(id, topic, WebhookEvent.Action.UPDATE, List.of(), created);
        }
        return new WebhookEvent(id, topic, topic.endsWith(".created") ? WebhookEvent.Action.CREATE
                : WebhookEvent.Action.UPDATE, List.of(entity), created);
    }
}
