package dev.tributary.api.connector;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorRegistry;
import dev.tributary.tenancy.Role;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/** The connector catalog: what can be connected, its collections and capabilities. */
@Controller("/api/connectors")
@Tag(name = "connectors")
class ConnectorCatalogController {

    @Serdeable
    record CollectionView(String collectionKey, String resource) {
    }

    @Serdeable
    record CapabilitiesView(boolean webhooks, boolean incremental, boolean fetchById) {
    }

    @Serdeable
    record ConnectorView(String provider, String apiVersion, List<CollectionView> collections,
                         CapabilitiesView capabilities) {
        static ConnectorView of(Connector connector) {
            var metadata = connector.metadata();
            return new ConnectorView(metadata.provider(), metadata.apiVersion(),
                    metadata.collections().stream().map(c -> new CollectionView(c.collectionKey(), c.resource())).toList(),
                    new CapabilitiesView(metadata.capabilities().webhooks(), metadata.capabilities().incremental(),
                            metadata.capabilities().fetchById()));
        }
    }

    @Serdeable
    record Catalog(List<ConnectorView> items) {
    }

    private final ConnectorRegistry registry;

    ConnectorCatalogController(ConnectorRegistry registry) {
        this.registry = registry;
    }

    @Get
    @Secured(Role.READ)
    Catalog list(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller) {
        return new Catalog(registry.all().stream().map(ConnectorView::of).toList());
    }
}
