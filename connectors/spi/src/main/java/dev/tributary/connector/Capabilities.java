package dev.tributary.connector;

/** What a connector can do beyond a full fetch. */
public record Capabilities(boolean webhooks, boolean incremental, boolean fetchById) {
}
