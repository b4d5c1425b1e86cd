package dev.tributary.connector;

import dev.tributary.connector.json.CanonicalJson;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A provider's webhook call as received: headers (names lower-cased) and the raw body bytes. */
public record WebhookRequest(Map<String, List<String>> headers, byte[] body) {

    public WebhookRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of a header, if it came. */
    public Optional<String> header(String name) {
        List<String> values = headerValues(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every value of a header, in the order they came; a signature parser refuses more than one. */
    public List<String> headerValues(String name) {
        var values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? List.of() : values;
    }

    /**
     * The body as the JSON object a provider's event is; {@code what} names it in the refusal.
     *
     * @throws ConnectorException.Rejected when the body is not UTF-8 JSON, or not an object
     */
    public CanonicalJson.Value jsonObject(String what) throws ConnectorException.Rejected {
        CanonicalJson.Value value;
        try {
            value = CanonicalJson.parse(body);
        } catch (IOException e) {
            throw new ConnectorException.Rejected("the " + what + " is not JSON: " + ConnectorException.describe(e));
        }
        if (!(value instanceof CanonicalJson.Members)) {
            throw new ConnectorException.Rejected("the " + what + " is not a JSON object");
        }
        return value;
    }
}
