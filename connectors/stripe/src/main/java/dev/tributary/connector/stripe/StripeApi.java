package dev.tributary.connector.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.net.ApiResource;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.json.CanonicalJson;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Stripe's API through the official SDK: GETs whose JSON comes back as text (the
 * stored payload is exactly what Stripe sent, not the SDK's typed model of it), the
 * SDK's own retries for what Stripe marks retriable, and its errors turned into the
 * connector error family — by the SDK's exception types where they say more than a
 * status (a rate limit, a refused key, no connection), else by
 * {@link ConnectorException#ofHttpStatus}.
 */
final class StripeApi {

    /** Objects per list page: Stripe's largest. */
    static final String PAGE_SIZE = "100";

    private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(32);

    private final StripeClient client;
    private int rateLimitedInARow;

    StripeApi(String apiKey, StripeConfiguration configuration) {
        this.client = StripeClient.builder()
                .setApiKey(apiKey)
                .setApiBase(configuration.apiBaseOrDefault())
                .setMaxNetworkRetries(configuration.maxNetworkRetriesOrDefault())
                .setConnectTimeout(10_000)
                .setReadTimeout(60_000)
                .build();
    }

    /** GET {@code path} with {@code query}, parsed. */
    CanonicalJson.Value get(String path, Map<String, String> query) throws ConnectorException {
        String url = query.isEmpty() ? path : path + "?" + query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        String body;
        try {
            body = client.rawRequest(ApiResource.RequestMethod.GET, url, null).body();
        } catch (RateLimitException e) {
            throw new ConnectorException.RateLimited("Stripe rate limit: " + ConnectorException.describe(e), backoff());
        } catch (AuthenticationException e) { // PermissionException (403) too
            throw new ConnectorException.AuthRevoked("Stripe refused the API key: " + ConnectorException.describe(e));
        } catch (ApiConnectionException e) {
            throw new ConnectorException.Transient("Stripe could not be reached: " + ConnectorException.describe(e), e);
        } catch (StripeException e) {
            Integer status = e.getStatusCode();
            if (status == null) {
                throw new ConnectorException.Transient("Stripe failed on GET " + path + ": "
                        + ConnectorException.describe(e), e);
            }
            String what = "Stripe answered GET " + path + " with " + status + ": " + ConnectorException.describe(e);
            if (status == 409) {
                // A request that collided with another on the same object: Stripe marks it worth repeating.
                throw new ConnectorException.Transient(what, e);
            }
            throw ConnectorException.ofHttpStatus(status, what, this::backoff);
        }
        rateLimitedInARow = 0;
        try {
            return CanonicalJson.parse(body);
        } catch (IOException e) {
            throw new ConnectorException.Transient("Stripe answered " + path + " with unreadable JSON", e);
        }
    }

    /**
     * Stripe sends no Retry-After: its advice is exponential backoff. The wait doubles with each
     * 429 in a row (1 s, 2 s, 4 s … up to 32 s) and starts over after a call succeeds.
     */
    private Duration backoff() {
        Duration wait = Duration.ofSeconds(1L << Math.min(rateLimitedInARow, 5));
        rateLimitedInARow++;
        return wait.compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : wait;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
