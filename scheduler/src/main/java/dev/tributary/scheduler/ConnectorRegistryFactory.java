package dev.tributary.scheduler;

import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorRegistry;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.util.List;

/** The registry of every connector bean on the classpath. */
@Factory
class ConnectorRegistryFactory {

    @Singleton
    ConnectorRegistry connectorRegistry(List<Connector> connectors) {
        return new ConnectorRegistry(connectors);
    }
}
