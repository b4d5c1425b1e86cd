package dev.tributary.connector.jsonfeed;

import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.net.InternalAddresses;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Where this service lets json-feed apps read from ({@code tributary.connectors.json-feed.*}):
 * files only under {@code allowed-directories} (none by default), URLs only on
 * public addresses unless {@code allow-private-addresses}.
 */
@ConfigurationProperties("tributary.connectors.json-feed")
public record JsonFeedConfiguration(@Nullable List<String> allowedDirectories, @Nullable Boolean allowPrivateAddresses) {

    List<Path> directories() {
        return allowedDirectories == null ? List.of()
                : allowedDirectories.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d).toAbsolutePath().normalize())
                .toList();
    }

    /** The file, resolved (links included), if it lies under an allowed directory; else refused as a bad {@code file}. */
    Path allowedFile(Path file) throws ConfigInvalid {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            throw new ConfigInvalid("file", "file " + file + " does not exist or cannot be read");
        }
        for (Path directory : directories()) {
            try {
                if (real.startsWith(directory.toRealPath())) {
                    return real;
                }
            } catch (IOException ignored) {
                // A configured directory that does not exist allows nothing.
            }
        }
        throw new ConfigInvalid("file", "file must lie under a directory the operator allows"
                + " (tributary.connectors.json-feed.allowed-directories)");
    }

    /** Refuses, as a bad {@code url}, a URL whose host resolves to an address this installation keeps out. */
    void requireAllowedHost(URI url) throws ConfigInvalid {
        if (!Boolean.TRUE.equals(allowPrivateAddresses)) {
            InternalAddresses.requirePublic(url, "url");
        }
    }
}
