package dev.tributary.connector;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The connectors this node knows, by provider name. */
public final class ConnectorRegistry {

    private final Map<String, Connector> byProvider;

    /**
     * @throws IllegalStateException when two connectors claim one provider, or one declares the destination
     *                               capability without a {@link Connector#destination()} (or the other way round)
     */
    public ConnectorRegistry(Collection<? extends Connector> connectors) {
        for (Connector connector : connectors) {
            if (connector.metadata().capabilities().destination() != connector.destination().isPresent()) {
                throw new IllegalStateException("connector " + connector.metadata().provider()
                        + (connector.destination().isPresent() ? " writes but does not declare the destination capability"
                        : " declares the destination capability but cannot write"));
            }
        }
        this.byProvider = connectors.stream().collect(Collectors.toMap(
                c -> c.metadata().provider(), Function.identity(),
                (a, b) -> {
                    throw new IllegalStateException("two connectors claim provider " + a.metadata().provider());
                },
                TreeMap::new));
    }

    public Optional<Connector> byProvider(String provider) {
        return Optional.ofNullable(byProvider.get(provider));
    }

    /** Every connector, in provider order. */
    public List<Connector> all() {
        return List.copyOf(byProvider.values());
    }
}
