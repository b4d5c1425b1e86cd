package dev.tributary.api.docs;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How the parameters many operations share are documented, as annotations on the controller method's
 * argument (micronaut-openapi reads them as stereotypes of {@code @Parameter}; where the parameter is, path,
 * query or header, comes from the argument's own binding annotation).
 */
public final class ApiParameters {

    private ApiParameters() {
    }

    /** {@code app_key}, in a path or as a filter. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @Parameter(description = "an app's key", schema = @Schema(type = "string", pattern = TenantApi.KEY_PATTERN))
    public @interface AppKey {
    }

    /** {@code collection}, in a path or as a filter. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @Parameter(description = "one of the app's collections (`GET /api/connectors` lists them)",
            schema = @Schema(type = "string", pattern = TenantApi.KEY_PATTERN))
    public @interface Collection {
    }

    /** A run's id in a path. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @Parameter(description = "the run's id (`sync_id`)", schema = @Schema(type = "string", format = "uuid"))
    public @interface SyncId {
    }

    /** A saved filter's id in a path. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @Parameter(description = "the saved filter's id", schema = @Schema(type = "string", format = "uuid"))
    public @interface SavedFilterId {
    }

    /** A sync list item's id in a path. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @Parameter(description = "the sync list item's id", schema = @Schema(type = "string", format = "uuid"))
    public @interface SyncListItemId {
    }

    /** A tenant's id in an {@code /admin} path. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @Parameter(description = "the tenant's id", schema = @Schema(type = "string", pattern = TenantApi.KEY_PATTERN))
    public @interface TenantPath {
    }

    /** A list's page size. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @Parameter(description = "items per page", schema = @Schema(type = "integer", format = "int32", minimum = "1",
            maximum = "100", defaultValue = "20"))
    public @interface Limit {
    }

    /** How many items of a list to skip. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @Parameter(description = "items to skip", schema = @Schema(type = "integer", format = "int64", minimum = "0",
            defaultValue = "0"))
    public @interface Offset {
    }
}
