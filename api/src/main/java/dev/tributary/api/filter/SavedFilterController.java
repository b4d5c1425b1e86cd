package dev.tributary.api.filter;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.docs.ApiParameters;
import dev.tributary.api.docs.ProblemResponses;
import dev.tributary.api.docs.TenantApi;
import dev.tributary.api.list.PageRequest;
import dev.tributary.api.list.QueryNames;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.JsonBodies;
import dev.tributary.api.problem.ProblemDetails;
import dev.tributary.api.record.RecordPageView;
import dev.tributary.api.record.RecordQuery;
import dev.tributary.api.request.UuidText;
import dev.tributary.db.filter.SavedFilter;
import dev.tributary.scheduler.filter.SavedFilters;
import dev.tributary.tenancy.Ownership;
import dev.tributary.tenancy.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;
import java.util.UUID;

/**
 * Saved filters (seed 004's saved search patterns): which records of a source app's collection go to which
 * target app. The rules are scheduler's {@link SavedFilters}; this controller reads bodies and queries, acts in
 * the caller's {@link Ownership} — its own filters, with {@code sync:admin} the tenant's, so another owner's
 * filter is not found — and shows filters ({@link SavedFilterView}) and their matches (the records API's page);
 * refusals become problems in {@link SavedFilterProblemHandler}.
 */
@Controller("/api/saved-filters")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "saved-filters")
@TenantApi
class SavedFilterController {

    private static final QueryNames LIST_PARAMETERS = QueryNames.of("source_app_key", "collection", "limit", "offset");

    private final SavedFilters filters;
    private final JsonBodies bodies;

    SavedFilterController(SavedFilters filters, JsonBodies bodies) {
        this.filters = filters;
        this.bodies = bodies;
    }

    @Operation(operationId = "createSavedFilter", summary = "Create a saved filter",
            description = "Saves a filter over a source app's collection for a target app, owned by the caller. The"
                    + " source app must sync `collection`; the target app's connector must write records, and"
                    + " `target_collection` defaults to its only writable collection. Every refusal names its"
                    + " field; a target that writes nothing: 400 on `target_app_key`. An unknown app: 404. 409"
                    + " `saved_filter_exists` when the caller has a filter of that name, `app_config_invalid` when"
                    + " an app's configuration is broken. Role: `sync:write`.")
    @ApiResponse(responseCode = "201", description = "Created; `Location` is the filter's URL.",
            content = @Content(schema = @Schema(implementation = SavedFilterView.class)), headers = {
            @Header(name = ProblemResponses.LOCATION, description = "`/api/saved-filters/{id}`", required = true,
                    schema = @Schema(type = "string")),
            @Header(name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
                    required = true, schema = @Schema(type = "string"))})
    @ProblemResponses.JsonBody
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    @Post
    @Secured(Role.WRITE)
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SavedFilterCreate.class)))
    HttpResponse<SavedFilterView> create(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller,
                                         @Nullable @Body byte[] body) {
        SavedFilterCreate request = bodies.read(body, SavedFilterCreate.class);
        SavedFilterView created = SavedFilterView.of(filters.create(caller.tenant(), ownership(caller),
                request.definition()));
        return HttpResponse.created(created, URI.create("/api/saved-filters/" + created.id()));
    }

    @Operation(operationId = "listSavedFilters", summary = "List saved filters",
            description = "The caller's saved filters, newest first (`sync:admin`: every owner's), optionally of"
                    + " one source app and collection. An unknown or repeated parameter: 400. Role: `sync:read`.")
    @ApiResponse(responseCode = "200", description = "A page of saved filters.", headers = @Header(
            name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
            required = true, schema = @Schema(type = "string")))
    @Get
    @Secured(Role.READ)
    SavedFilterPage list(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, HttpRequest<?> request,
                         @Parameter(description = "only filters over this source app's records",
                                 schema = @Schema(type = "string", pattern = TenantApi.KEY_PATTERN))
                         @Nullable @QueryValue("source_app_key") String sourceAppKey,
                         @ApiParameters.Collection @Nullable @QueryValue String collection,
                         @ApiParameters.Limit @Nullable @QueryValue Integer limit,
                         @ApiParameters.Offset @Nullable @QueryValue Long offset) {
        LIST_PARAMETERS.check(request);
        ApiProblem.requireValidKey("source_app_key", sourceAppKey);
        ApiProblem.requireValidKey("collection", collection);
        PageRequest page = PageRequest.of(limit, offset);
        SavedFilters.Listing listing = filters.list(caller.tenant(), ownership(caller), sourceAppKey, collection,
                page.limit(), page.offset());
        return new SavedFilterPage(listing.filters().stream().map(SavedFilterView::of).toList(), page.limit(),
                page.offset(), listing.total());
    }

    @Operation(operationId = "getSavedFilter", summary = "Get a saved filter",
            description = "One of the caller's saved filters (`sync:admin`: any of the tenant's); another owner's:"
                    + " 404. Role: `sync:read`.")
    @ApiResponse(responseCode = "200", description = "The saved filter.", headers = @Header(
            name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
            required = true, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    @Get("/{id}")
    @Secured(Role.READ)
    SavedFilterView get(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller,
                        @ApiParameters.SavedFilterId @PathVariable String id) {
        return SavedFilterView.of(filters.get(caller.tenant(), ownership(caller), filterId(id)));
    }

    @Operation(operationId = "updateSavedFilter", summary = "Change a saved filter",
            description = "Each of `name`, `description`, `target_collection` and `filter_config` given replaces"
                    + " the filter's, checked as a creation is; any other member (`source_app_key`, `collection`,"
                    + " `target_app_key`, …): 400 naming it. Concurrent changes apply one after the other; the"
                    + " owner stays. Another owner's filter: 404; a name the owner already uses: 409"
                    + " `saved_filter_exists`; a broken target app: 409 `app_config_invalid`. Role: `sync:write`.")
    @ApiResponse(responseCode = "200", description = "The saved filter as changed.", headers = @Header(
            name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
            required = true, schema = @Schema(type = "string")))
    @ProblemResponses.JsonBody
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    @Patch("/{id}")
    @Secured(Role.WRITE)
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SavedFilterUpdate.class)))
    SavedFilterView update(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller,
                           @ApiParameters.SavedFilterId @PathVariable String id, @Nullable @Body byte[] body) {
        UUID filterId = filterId(id);
        SavedFilterUpdate request = bodies.read(body, SavedFilterUpdate.class);
        return SavedFilterView.of(filters.update(caller.tenant(), ownership(caller), filterId, request.change()));
    }

    @Operation(operationId = "deleteSavedFilter", summary = "Delete a saved filter",
            description = "Deletes one of the caller's saved filters (`sync:admin`: any of the tenant's); another"
                    + " owner's: 404. Sync list items added from it stay. Role: `sync:write`.")
    @ApiResponse(responseCode = "204", description = "Deleted.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    // No body on success, a problem otherwise: a client that accepts only problems is answered too.
    @Delete(uri = "/{id}", produces = {MediaType.APPLICATION_JSON, ProblemDetails.MEDIA_TYPE})
    @Secured(Role.WRITE)
    HttpResponse<Void> delete(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller,
                              @ApiParameters.SavedFilterId @PathVariable String id) {
        filters.delete(caller.tenant(), ownership(caller), filterId(id));
        return HttpResponse.noContent();
    }

    @Operation(operationId = "listSavedFilterMatches", summary = "Read a saved filter's matches",
            description = "The synced records of the filter's source collection that it matches, a page at a time in"
                    + " external-id order, as the records API pages (`GET"
                    + " /api/apps/{app_key}/collections/{collection}/records`); archived records only with"
                    + " `include_archived=true`. A cursor another listing returned (another filter's, a"
                    + " collection's records) or none at all: 400 `invalid_cursor`; a repeated or unknown"
                    + " parameter: 400. Another owner's filter: 404. Role: `sync:read`.", parameters = {
            @Parameter(name = TenantApi.TENANT_HEADER, in = ParameterIn.HEADER, required = true,
                    description = TenantApi.TENANT_HEADER_DESCRIPTION,
                    schema = @Schema(type = "string", pattern = TenantApi.KEY_PATTERN)),
            @Parameter(name = "id", in = ParameterIn.PATH, required = true, description = "the saved filter's id",
                    schema = @Schema(type = "string", format = "uuid")),
            @Parameter(name = "limit", in = ParameterIn.QUERY, description = "records per page",
                    schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100",
                            defaultValue = "20")),
            @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "`next_cursor` of the previous page"
                    + " of this filter's matches, as it came", schema = @Schema(type = "string")),
            @Parameter(name = "include_archived", in = ParameterIn.QUERY, description = "whether archived records"
                    + " are listed", schema = @Schema(type = "boolean", defaultValue = "false"))})
    @ApiResponse(responseCode = "200", description = "A page of the records the filter matches.", headers = @Header(
            name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
            required = true, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    @Get("/{id}/matches")
    @Secured(Role.READ)
    RecordPageView matches(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, @PathVariable String id,
                           HttpRequest<?> request) {
        UUID filterId = filterId(id);
        Ownership ownership = ownership(caller);
        // The cursor is checked against the filter's collection, so the filter is read first.
        SavedFilter filter = filters.get(caller.tenant(), ownership, filterId);
        RecordQuery query = RecordQuery.ofMatches(request, filterId, filter.collectionKey());
        SavedFilters.Matches matches = filters.matches(caller.tenant(), ownership, filterId, query.afterExternalId(),
                query.includeArchived(), query.limit());
        return RecordPageView.ofMatches(matches.page(), query.limit(), filterId, matches.filter().collectionKey());
    }

    private static Ownership ownership(CallerTenant caller) {
        return Ownership.of(caller.principal());
    }

    /** The path's id: a filter's id is a canonical UUID ({@link UuidText}), so anything else names no filter. */
    private static UUID filterId(String id) {
        return UuidText.parse(id).orElseThrow(() -> ApiProblem.notFound("No saved filter " + id));
    }
}
