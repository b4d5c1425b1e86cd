package dev.tributary.api.record;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.auth.RequiresRole;
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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
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
    @Get
    @RequiresRole(Role.SYNC_READ)
    @Parameter(name = "limit", in = ParameterIn.QUERY, schema = @Schema(type = "integer", minimum = "1", maximum = "100"),
            description = "records per page, 1 to 100 (default 20)")
    @Parameter(name = "cursor", in = ParameterIn.QUERY, schema = @Schema(type = "string"),
            description = "next_cursor of the previous page")
    @Parameter(name = "modified_after", in = ParameterIn.QUERY, schema = @Schema(type = "string", format = "date-time"),
            description = "only records written after this ISO-8601 time with offset (updated_at)")
    @Parameter(name = "include_archived", in = ParameterIn.QUERY, schema = @Schema(type = "boolean"),
            description = "true (default) or false: whether archived records are listed")
    @Parameter(name = "ids", in = ParameterIn.QUERY, schema = @Schema(type = "string"),
            description = "only these external ids, comma-separated, at most 100")
    RecordPageView list(CallerTenant caller, @PathVariable String appKey, @PathVariable String collection,
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
        List<RecordView> items = page.entities().stream().map(RecordView::of).toList();
        String next = page.more()
                ? new RecordCursor(appKey, collection, items.get(items.size() - 1).externalId()).encode() : null;
        return new RecordPageView(items, query.limit(), next);
    }
}
