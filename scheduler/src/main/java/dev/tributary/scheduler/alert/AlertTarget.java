package dev.tributary.scheduler.alert;

import java.util.List;

/** Where an app's alerts go: a webhook (with the secret its POSTs are signed with) and/or email addresses. */
public record AlertTarget(String webhookUrl, String webhookSecret, List<String> emails) {

    public static final AlertTarget NONE = new AlertTarget(null, null, List.of());

    public AlertTarget {
        emails = emails == null ? List.of() : List.copyOf(emails);
    }
}
