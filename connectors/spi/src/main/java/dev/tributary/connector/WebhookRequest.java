package dev.tributary.connector;

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
}
