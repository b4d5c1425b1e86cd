package dev.tributary.connector.intercom;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * How this service talks to Intercom ({@code tributary.connectors.intercom.*}): the API
 * base (Intercom's US region unless set: {@code https://api.eu.intercom.io} and
 * {@code https://api.au.intercom.io} serve the other regions) and the API version asked for.
 */
@ConfigurationProperties("tributary.connectors.intercom")
public record IntercomConfiguration(@Nullable String apiBase, @Nullable String apiVersion) {

    public static final String DEFAULT_VERSION = "2.11";

    public String apiBaseOrDefault() {
        return apiBase == null || apiBase.isBlank() ? "https://api.intercom.io" : apiBase.replaceAll("/+$", "");
    }

    public String apiVersionOrDefault() {
        return apiVersion == null || apiVersion.isBlank() ? DEFAULT_VERSION : apiVersion;
    }
}
