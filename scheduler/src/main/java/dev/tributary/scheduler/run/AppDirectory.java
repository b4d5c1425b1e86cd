package dev.tributary.scheduler.run;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.Connector;
import dev.tributary.scheduler.alert.AlertTarget;
import dev.tributary.tenancy.TenantId;

import java.util.Optional;

/**
 * Where a worker finds the app a run syncs: its connector, its config with opened
 * credentials, its retry policy and its alert channels. The service's app store implements it.
 */
public interface AppDirectory {

    /** An app and the connector that serves it, ready to fetch; its retry policy and where its alerts go. */
    record AppConnection(Connector connector, AppContext context, int maxAttempts, AlertTarget alerts) {
    }

    /** The app, or empty when the tenant has no such app (any more). */
    Optional<AppConnection> find(TenantId tenant, String appKey);
}
