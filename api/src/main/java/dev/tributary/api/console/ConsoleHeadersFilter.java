package dev.tributary.api.console;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * The headers of the web console's files ({@code /console}, module {@code console}). The page holds a tenant's
 * credential in its tab, so it runs only the service's own script (no inline script, nothing from elsewhere),
 * talks only to the service, and cannot be framed by another site; and since its files keep their names from
 * one release to the next, the browser checks for a newer one before using what it has.
 */
@ServerFilter({"/console", "/console/**"})
public class ConsoleHeadersFilter {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @ResponseFilter
    public void secure(MutableHttpResponse<?> response) {
        response.getHeaders()
                .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer")
                .set("Cache-Control", "no-cache");
    }
}
