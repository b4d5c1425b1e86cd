package dev.tributary.connector;

/** Whether a webhook call is authentic; {@code reason} says why not (logged, never sent back). */
public record WebhookVerification(boolean valid, String reason) {

    public static WebhookVerification ok() {
        return new WebhookVerification(true, "");
    }

    public static WebhookVerification rejected(String reason) {
        return new WebhookVerification(false, reason);
    }
}
