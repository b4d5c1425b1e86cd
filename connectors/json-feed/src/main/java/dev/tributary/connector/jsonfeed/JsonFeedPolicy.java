package dev.tributary.connector.jsonfeed;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.nio.file.Path;
import java.util.List;

/**
 * Where json-feed apps may read from ({@code tributary.connectors.json-feed.*}):
 * files only under {@code allowed-directories} (none by default), URLs only on
 * public addresses unless {@code allow-private-addresses}.
 */
@ConfigurationProperties("tributary.connectors.json-feed")
public record JsonFeedPolicy(@Nullable List<String> allowedDirectories, @Nullable Boolean allowPrivateAddresses) {

    public List<Path> directories() {
        return allowedDirectories == null ? List.of()
                : allowedDirectories.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d).toAbsolutePath().normalize())
                .toList();
    }

    public boolean privateAddressesAllowed() {
        return Boolean.TRUE.equals(allowPrivateAddresses);
    }
}
