package dev.tributary.scheduler.app;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.Connector;
import dev.tributary.scheduler.alert.AlertTarget;

/**
 * An app ready to sync: the connector that serves it, its context (config, opened credentials,
 * {@code sync_from}), its retry policy and where its alerts go (webhook secret opened).
 */
public record LoadedApp(Connector connector, AppContext context, int maxAttempts, AlertTarget alerts) {
}
