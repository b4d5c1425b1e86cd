package dev.tributary.scheduler.alert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where an app's alerts go: a webhook (with the secret its POSTs are signed with) and/or email addresses.
 * As part of an app's definition it may hold what the app's validation refuses (a null address), so that
 * the refusal names it.
 */
public record AlertTarget(String webhookUrl, String webhookSecret, List<String> emails) {

    public static final AlertTarget NONE = new AlertTarget(null, null, List.of());

    public AlertTarget {
        emails = emails == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(emails));
    }
}
