package dev.tributary.connector.intercom;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.AppSettings;
import dev.tributary.connector.ConnectorException.ConfigInvalid;

import java.util.List;

/**
 * An Intercom app's settings, read from the app's {@code config} object: the collections it syncs
 * (all five unless it chooses some) and whether each notification's payload is kept. Nothing else is
 * accepted. The token and the client secrets are credentials, not settings.
 */
record IntercomSettings(List<String> collections, boolean logWebhookPayloads) {

    static IntercomSettings of(AppContext app) throws ConfigInvalid {
        return new IntercomSettings(AppSettings.catalogCollections(app, IntercomConnector.METADATA),
                AppSettings.logWebhookPayloads(app));
    }
}
