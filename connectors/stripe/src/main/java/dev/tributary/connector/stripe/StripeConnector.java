package dev.tributary.connector.stripe;

import com.stripe.Stripe;
import dev.tributary.connector.AppContext;
import dev.tributary.connector.Capabilities;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.ConnectorMetadata;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.WebhookEvent;
import dev.tributary.connector.WebhookRequest;
import dev.tributary.connector.WebhookVerification;
import dev.tributary.connector.json.CanonicalJson;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Stripe, on the official stripe-java SDK. Full syncs walk the list endpoints;
 * incremental syncs read {@code /v1/events} since the last success (Stripe keeps 30
 * days of them; older state gets a full sync); webhooks are checked with the SDK's
 * signature verification. Credentials: {@code api_key} (a secret or restricted key),
 * and {@code webhook_secret} (the endpoint's {@code whsec_…}) to receive webhooks.
 */
@Singleton
public final class StripeConnector implements Connector {

    public static final ConnectorMetadata METADATA = new ConnectorMetadata("stripe", Stripe.API_VERSION,
            Arrays.stream(StripeCollection.values()).map(StripeCollection::spec).toList(),
            new Capabilities(true, true, true, false));

    /** What a Stripe object id looks like; anything else would change the request's path. */
    private static final Pattern STRIPE_ID = Pattern.compile("[A-Za-z0-9_]{1,255}");

    /** How long Stripe keeps events. */
    static final Duration EVENT_HISTORY = Duration.ofDays(30);

    private final StripeConfiguration configuration;
    private final Clock clock;

    public StripeConnector(StripeConfiguration configuration, Clock clock) {
        this.configuration = configuration;
        this.clock = clock;
    }

    @Override
    public ConnectorMetadata metadata() {
        return METADATA;
    }

    @Override
    public void validate(AppContext app) throws ConfigInvalid {
        StripeSettings.of(app);
        String apiKey = app.credentials().get("api_key");
        if (apiKey == null || !(apiKey.startsWith("sk_") || apiKey.startsWith("rk_"))) {
            throw new ConfigInvalid("credentials.api_key",
                    "stripe needs credentials.api_key: a secret (sk_…) or restricted (rk_…) key");
        }
    }

    /** All collections, or the subset the app's {@code collections} setting names. */
    @Override
    public List<String> collections(AppContext app) throws ConfigInvalid {
        return StripeSettings.of(app).collections();
    }

    @Override
    public Optional<Duration> changeHistory() {
        return Optional.of(EVENT_HISTORY);
    }

    @Override
    public PageSource fetch(AppContext app, FetchRequest request) throws ConnectorException {
        StripeCollection collection = collection(request.collectionKey());
        StripeApi api = api(app);
        return request.incremental() ? new StripeIncrementalPages(api, collection, request.modifiedSince())
                : new StripeFullPages(api, collection, request.cursor(), app.syncFrom(), clock);
    }

    @Override
    public NormalizedEntity fetchById(AppContext app, String collectionKey, String externalId)
            throws ConnectorException {
        StripeCollection collection = collection(collectionKey);
        if (!STRIPE_ID.matcher(externalId).matches()) {
            throw new ConnectorException.Rejected(externalId.length() > 255 ? "a Stripe id is at most 255 characters"
                    : "\"" + externalId + "\" is not a Stripe id (letters, digits and _)");
        }
        CanonicalJson.Value object = api(app).get("/v1/" + collection.resource + "/" + externalId, Map.of());
        if ("true".equals(CanonicalJson.scalarAt(object, "/deleted"))) {
            throw new ConnectorException.NotFound("Stripe deleted " + collection.objectType + " " + externalId);
        }
        try {
            if (collection == StripeCollection.SUBSCRIPTION_ITEM) {
                return StripeObjects.item(object, null, StripeObjects.now(clock));
            }
            return StripeObjects.entity(collection, object, StripeObjects.now(clock));
        } catch (IllegalArgumentException e) {
            throw new ConnectorException.Rejected("Stripe's " + collection.objectType + " " + externalId
                    + " cannot be stored: " + ConnectorException.describe(e));
        }
    }

    @Override
    public WebhookVerification verifyWebhook(AppContext app, WebhookRequest request) {
        return StripeWebhooks.verify(app.credentials().get("webhook_secret"), request,
                configuration.webhookToleranceOrDefault(), clock);
    }

    @Override
    public WebhookEvent parseWebhook(AppContext app, WebhookRequest request) throws ConnectorException {
        return StripeWebhooks.parse(request);
    }

    private StripeApi api(AppContext app) throws ConfigInvalid {
        String apiKey = app.credentials().get("api_key");
        if (apiKey == null) {
            throw new ConfigInvalid("credentials.api_key", "stripe needs credentials.api_key");
        }
        return new StripeApi(apiKey, configuration);
    }

    private static StripeCollection collection(String key) throws ConfigInvalid {
        return StripeCollection.byKey(key).orElseThrow(() -> new ConfigInvalid("collection",
                "stripe has no collection " + key));
    }
}
