package dev.tributary.db.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.List;

/**
 * An app's alert channels as stored in {@code apps.alert_config}: a webhook URL with the
 * secret its POSTs are signed with, sealed (base64 of tenancy's SecretBox output), and
 * email addresses. The stored names are fixed here, whatever the service's naming
 * setting, so every node and every test reads what another wrote.
 *
 * @param webhookSecret the sealed secret (never the secret itself); null without a webhook
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertSettings(@Nullable String webhookUrl, @Nullable List<String> emails,
                            @Nullable String webhookSecret) {

    public static final AlertSettings NONE = new AlertSettings(null, List.of(), null);

    /** Apps stored before empty lists were kept have no {@code emails} member. */
    public AlertSettings {
        emails = emails == null ? List.of() : List.copyOf(emails);
    }
}
