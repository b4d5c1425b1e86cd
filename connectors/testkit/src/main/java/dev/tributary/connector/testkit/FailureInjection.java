package dev.tributary.connector.testkit;

/** The failures a fake provider can be told to answer with, each in that provider's own format. */
public interface FailureInjection {

    /** The next {@code calls} requests get a 429 asking to wait {@code seconds}. */
    FailureInjection rateLimitNext(int calls, int seconds);

    /** The next {@code calls} requests fail with {@code status} (a 5xx, say). */
    FailureInjection failNext(int calls, int status);
}
