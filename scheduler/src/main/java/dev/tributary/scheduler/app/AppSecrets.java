package dev.tributary.scheduler.app;

import dev.tributary.db.app.App;
import dev.tributary.scheduler.alert.AlertTarget;
import dev.tributary.tenancy.SecretBox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;

/**
 * An app's secrets at rest: its credentials (a JSON object, sealed into {@code credentials_enc})
 * and its alert webhook's signing secret (sealed, base64 in {@code alert_config}). Each is sealed
 * with the app's identity as context, so a ciphertext copied to another app's row does not open.
 */
@Singleton
class AppSecrets {

    private static final Argument<Map<String, String>> CREDENTIALS = Argument.mapOf(String.class, String.class);

    private final SecretBox box;
    private final JsonMapper json;

    AppSecrets(SecretBox box, JsonMapper json) {
        this.box = box;
        this.json = json;
    }

    /** The credentials sealed for the app; null when there are none. */
    @Nullable
    byte[] sealCredentials(String tenant, String appKey, Map<String, String> credentials) {
        if (credentials.isEmpty()) {
            return null;
        }
        try {
            return box.seal(json.writeValueAsString(credentials), credentialsContext(tenant, appKey));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The app's credentials in the clear; none when it has none. */
    Map<String, String> credentials(App app) {
        if (app.credentialsEnc() == null) {
            return Map.of();
        }
        try {
            return json.readValue(box.open(app.credentialsEnc(), credentialsContext(app.tenantId(), app.appKey())),
                    CREDENTIALS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The webhook secret sealed for the app, as stored; null for none. */
    @Nullable
    String sealWebhookSecret(String tenant, String appKey, @Nullable String secret) {
        return secret == null ? null
                : Base64.getEncoder().encodeToString(box.seal(secret, alertsContext(tenant, appKey)));
    }

    /** Where the app's alerts go, its webhook secret opened. */
    AlertTarget alerts(App app) {
        String sealed = app.alerts().webhookSecret();
        String secret = sealed == null ? null
                : box.open(Base64.getDecoder().decode(sealed), alertsContext(app.tenantId(), app.appKey()));
        return new AlertTarget(app.alerts().webhookUrl(), secret, app.alerts().emails());
    }

    private static String credentialsContext(String tenant, String appKey) {
        return "apps/" + tenant + "/" + appKey;
    }

    private static String alertsContext(String tenant, String appKey) {
        return "apps/" + tenant + "/" + appKey + "/alerts";
    }
}
