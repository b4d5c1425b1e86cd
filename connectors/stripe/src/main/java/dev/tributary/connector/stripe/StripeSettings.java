package dev.tributary.connector.stripe;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.AppSettings;
import dev.tributary.connector.ConnectorException.ConfigInvalid;

import java.util.List;

/**
 * A Stripe app's settings, read from the app's {@code config} object: the collections it syncs
 * (all ten unless it chooses some) and whether each webhook's payload is kept. Nothing else is
 * accepted. The keys are credentials, not settings.
 */
record StripeSettings(List<String> collections, boolean logWebhookPayloads) {

    static StripeSettings of(AppContext app) throws ConfigInvalid {
        return new StripeSettings(AppSettings.catalogCollections(app, StripeConnector.METADATA),
                AppSettings.logWebhookPayloads(app));
    }
}
