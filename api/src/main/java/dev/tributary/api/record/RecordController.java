package dev.tributary.api.record;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.docs.ProblemResponses;
import dev.tributary.api.docs.TenantApi;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.connector.ConnectorException;
import dev.tributary.db.entity.EntityReader;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.app.LoadedApp;
import dev.tributary.tenancy.Role;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/**
 * A collection's synced records, a page at a time in primary-key order, through the
 * caller's tenant scope (row-level security). The cursor is the last row's key, so paging
 * while syncs rewrite rows sees each row that exists throughout exactly once.
 */
@Controller("/api/apps/{appKey}/collections/{collection}/records")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "records")
@TenantApi
class RecordController {

    private final Apps apps;
    private final EntityReader reader;
    private final TenantScope scope;

    RecordController(Apps apps, EntityReader reader, TenantScope scope) {
        this.apps = apps;
        this.reader = reader;
        this.scope = scope;
    }

    /** A page of the collection's synced records, in external-id order. */
    @Operation(operationId = "listRecords", summary = "Read synced records",
            description = "What syncs stored, a page at a time in external-id order. The cursor is the last"
                    + " record's key, so paging while syncs run sees every record that exists throughout exactly"
                    + " once. A collection the app's connector does not have, a repeated or unknown parameter, or"
                    + " a cursor this endpoint did not return (`invalid_cursor`): 400. An app whose configuration"
                    + " is broken: 409 `app_config_invalid`. Role: `sync:read`.", parameters = {
            @Parameter(name = TenantApi.TENANT_HEADER, in = ParameterIn.HEADER, required = true,
                    description = TenantApi.TENANT_HEADER_DESCRIPTION,
                    schema = @Schema(type = "string", pattern = TenantApi.KEY_PATTERN)),
            @Parameter(name = "appKey", in = ParameterIn.PATH, required = true, description = "the app's key",
                    schema = @Schema(type = "string", pattern = TenantApi.KEY_PATTERN)),
            @Parameter(name = "collection", in = ParameterIn.PATH, required = true,
                    description = "one of the app's collections", schema = @Schema(type = "string",
                    pattern = TenantApi.KEY_PATTERN)),
            @Parameter(name = "limit", in = ParameterIn.QUERY, description = "records per page",
                    schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100",
                            defaultValue = "20")),
            @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "`next_cursor` of the previous page,"
                    + " as it came", schema = @Schema(type = "string")),
            @Parameter(name = "modified_after", in = ParameterIn.QUERY, description = "only records written"
                    + " (`updated_at`) after this time", schema = @Schema(type = "string", format = "date-time")),
            @Parameter(name = "include_archived", in = ParameterIn.QUERY, description = "whether archived records"
                    + " are listed", schema = @Schema(type = "boolean", defaultValue = "true")),
            @Parameter(name = "ids", in = ParameterIn.QUERY, description = "only these external ids,"
                    + " comma-separated, at most 100", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "200", description = "A page of records.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    @Get
    @Secured(Role.READ)
    RecordPageView list(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, @PathVariable String appKey, @PathVariable String collection,
                        HttpRequest<?> request) {
        // RecordQuery reads the query from the request itself, which also shows repeated and unknown parameters.
        ApiProblem.requireValidKey("app_key", appKey);
        ApiProblem.requireValidKey("collection", collection);
        RecordQuery query = RecordQuery.of(request, appKey, collection);
        LoadedApp app = apps.load(caller.tenant(), appKey)
                .orElseThrow(() -> ApiProblem.notFound("No app " + appKey));
        List<String> collections;
        try {
            collections = app.connector().collections(app.context());
        } catch (ConnectorException.ConfigInvalid e) {
            throw new ApiProblem(HttpStatus.CONFLICT, "app_config_invalid",
                    "App " + appKey + " has no readable collections until its configuration is fixed: "
                            + e.getMessage());
        }
        if (!collections.contains(collection)) {
            throw ApiProblem.invalidField("collection", "app " + appKey + " has no collection " + collection
                    + "; it has " + String.join(", ", collections));
        }
        EntityReader.Page page = scope.readJdbc(caller.tenant(), c -> reader.page(c, caller.tenant().value(), appKey,
                collection, app.context().syncFrom(), query.selection(), query.limit()));
        return RecordPageView.of(page, query.limit(), appKey, collection);
    }
}
