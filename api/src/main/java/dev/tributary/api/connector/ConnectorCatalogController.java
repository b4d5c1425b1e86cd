package dev.tributary.api.connector;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.docs.ProblemResponses;
import dev.tributary.api.docs.TenantApi;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorRegistry;
import dev.tributary.tenancy.Role;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/** The connector catalog: what can be connected, its collections and capabilities. */
@Controller("/api/connectors")
@Tag(name = "connectors")
@TenantApi
class ConnectorCatalogController {

    @Schema(name = "ConnectorCollection", description = "A kind of record the connector syncs.")
    @Serdeable
    record CollectionView(String collectionKey, String resource) {
    }

    @Schema(name = "ConnectorCapabilities", description = "What the connector can do beyond full syncs.")
    @Serdeable
    record CapabilitiesView(boolean webhooks, boolean incremental, boolean fetchById, boolean destination) {
    }

    @Schema(name = "Connector", description = "One connector of the catalog.")
    @Serdeable
    record ConnectorView(String provider, String apiVersion, List<CollectionView> collections,
                         CapabilitiesView capabilities) {
        static ConnectorView of(Connector connector) {
            var metadata = connector.metadata();
            return new ConnectorView(metadata.provider(), metadata.apiVersion(),
                    metadata.collections().stream().map(c -> new CollectionView(c.collectionKey(), c.resource())).toList(),
                    new CapabilitiesView(metadata.capabilities().webhooks(), metadata.capabilities().incremental(),
                            metadata.capabilities().fetchById(), metadata.capabilities().destination()));
        }
    }

    @Schema(name = "ConnectorCatalog", description = "Every connector the service has.")
    @Serdeable
    record Catalog(List<ConnectorView> items) {
    }

    private final ConnectorRegistry registry;

    ConnectorCatalogController(ConnectorRegistry registry) {
        this.registry = registry;
    }

    @Operation(operationId = "listConnectors", summary = "List the connectors",
            description = "The connector catalog: each provider's API version, its collections (the `collection`"
                    + " names an app can sync) and its capabilities. Role: `sync:read`.")
    @ApiResponse(responseCode = "200", description = "The catalog.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @Get
    @Secured(Role.READ)
    Catalog list(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller) {
        return new Catalog(registry.all().stream().map(ConnectorView::of).toList());
    }
}
