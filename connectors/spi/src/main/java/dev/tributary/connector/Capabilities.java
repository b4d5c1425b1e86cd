package dev.tributary.connector;

/**
 * What a connector can do beyond a full fetch. {@code destination}: it also writes records to its
 * provider — true exactly when {@link Connector#destination()} is present ({@link ConnectorRegistry}
 * refuses a connector that says otherwise).
 */
public record Capabilities(boolean webhooks, boolean incremental, boolean fetchById, boolean destination) {
}
