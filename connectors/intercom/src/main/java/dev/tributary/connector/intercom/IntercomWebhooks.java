package dev.tributary.connector.intercom;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.UnixSeconds;
import dev.tributary.connector.WebhookEvent;
import dev.tributary.connector.WebhookRequest;
import dev.tributary.connector.WebhookVerification;
import dev.tributary.connector.json.CanonicalJson;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

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
    private static final String PREFIX = "sha1=";
    /** An HMAC-SHA1 in hex; one pattern for the whole value, so "sha1=a,sha1=b" or a megabyte of hex is refused. */
    private static final Pattern SHA1_HEX = Pattern.compile("[0-9a-fA-F]{40}");

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
        List<String> headers = request.headerValues(SIGNATURE_HEADER);
        if (headers.isEmpty()) {
            return WebhookVerification.rejected("no " + SIGNATURE_HEADER + " header");
        }
        if (headers.size() > 1) {
            return WebhookVerification.rejected(headers.size() + " " + SIGNATURE_HEADER + " headers; Intercom sends one");
        }
        String header = headers.get(0);
        if (!header.startsWith(PREFIX)) {
            return WebhookVerification.rejected("the " + SIGNATURE_HEADER + " header does not start with " + PREFIX);
        }
        if (!SHA1_HEX.matcher(header).region(PREFIX.length(), header.length()).matches()) {
            return WebhookVerification.rejected("the " + SIGNATURE_HEADER + " signature is not 40 hex digits");
        }
        byte[] given = HexFormat.of().parseHex(header, PREFIX.length(), header.length());
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

    /**
     * The event a verified notification carries. Anything but a notification — not UTF-8 JSON, not an
     * object, an id, topic, created_at or data.item missing or of the wrong kind, an item of a synced
     * type without an id, a time PostgreSQL cannot store — is {@link ConnectorException.Rejected}, saying what.
     */
    static WebhookEvent parse(WebhookRequest request) throws ConnectorException {
        CanonicalJson.Value notification = request.jsonObject("notification");
        String id = CanonicalJson.stringAt(notification, "/id");
        String topic = CanonicalJson.stringAt(notification, "/topic");
        CanonicalJson.Value item = CanonicalJson.valueAt(notification, "/data/item");
        if (id == null || topic == null || !(item instanceof CanonicalJson.Members)) {
            throw new ConnectorException.Rejected("the notification lacks a string id, a string topic or a data.item");
        }
        try {
            Instant created = UnixSeconds.at(notification, "created_at");
            if (created == null) {
                throw new IllegalArgumentException("the notification has no created_at");
            }
            return event(id, topic, created, item);
        } catch (IllegalArgumentException e) {
            throw new ConnectorException.Rejected("notification " + id + " cannot be stored: " + ConnectorException.describe(e));
        }
    }

    private static WebhookEvent event(String id, String topic, Instant created, CanonicalJson.Value item) {
        Optional<IntercomCollection> collection = IntercomCollection.byType(
                String.valueOf(CanonicalJson.scalarAt(item, "/type")));
        if (collection.isEmpty()) {
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
