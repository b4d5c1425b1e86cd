package dev.tributary.api.synclist;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.docs.ApiParameters;
import dev.tributary.api.docs.ProblemResponses;
import dev.tributary.api.docs.TenantApi;
import dev.tributary.api.list.PageRequest;
import dev.tributary.api.list.QueryNames;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.JsonBodies;
import dev.tributary.api.problem.ProblemDetails;
import dev.tributary.api.request.UuidText;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.synclist.ItemStatus;
import dev.tributary.db.synclist.SyncListItem;
import dev.tributary.db.synclist.SyncListItems;
import dev.tributary.scheduler.synclist.SyncLists;
import dev.tributary.tenancy.Ownership;
import dev.tributary.tenancy.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
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
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * The caller's sync list (seed 004's Sync List tab): add one item or a saved filter's matches, list and filter,
 * change mode and state, remove. The rules are scheduler's {@link SyncLists}, run in the caller's
 * {@link Ownership} (another owner's item is not found); refusals become problems in
 * {@link SyncListProblemHandler}. {@code /api/sync-list/schedule} is {@link SyncListScheduleController}'s: a
 * literal segment outranks the {@code {id}} variable.
 */
@Controller("/api/sync-list")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "sync-list")
@TenantApi
class SyncListController {

    private static final QueryNames PARAMETERS = QueryNames.of("status", "collection", "mode", "active",
            "target_app_key", "saved_filter_id", "limit", "offset");

    private final SyncLists lists;
    private final JsonBodies bodies;

    SyncListController(SyncLists lists, JsonBodies bodies) {
        this.lists = lists;
        this.bodies = bodies;
    }

    @Operation(operationId = "addToSyncList", summary = "Add to the sync list",
            description = "Either one item — the source app must sync `collection` and hold the record `source_id`,"
                    + " synced and not archived (else 404 naming `source_id`); the target app must be a destination"
                    + " that writes `target_collection` (400 `invalid_request` naming `target_app_key` or"
                    + " `target_collection`) — or, with `saved_filter_id`, every current non-archived match of the"
                    + " caller's saved filter (404 when it is not theirs), to the filter's target; mixing the two:"
                    + " 400. One item already listed for that target: 409 `sync_list_item_exists`; matches already"
                    + " listed are counted in `already_listed` and left as they are. An unknown app: 404; one whose"
                    + " configuration is broken: 409 `app_config_invalid`. Nothing is added when refused. Role:"
                    + " `sync:write`.")
    @ApiResponse(responseCode = "201", description = "Added; `Location` is the item's URL when one item was added.",
            content = @Content(schema = @Schema(implementation = SyncListAddition.class)), headers = {
            @Header(name = ProblemResponses.LOCATION, description = "`/api/sync-list/{id}`, when one item was added"
                    + " (not from a saved filter)", schema = @Schema(type = "string")),
            @Header(name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
                    required = true, schema = @Schema(type = "string"))})
    @ProblemResponses.JsonBody
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    @Post
    @Secured(Role.WRITE)
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SyncListAddRequest.class)))
    HttpResponse<SyncListAddition> add(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller,
                                       @Nullable @Body byte[] body) {
        SyncListAddRequest request = bodies.read(body, SyncListAddRequest.class);
        Ownership ownership = Ownership.of(caller.principal());
        if (request.fromFilter()) {
            SyncListItems.FilterAddition addition = lists.addFromFilter(caller.tenant(), ownership,
                    request.filterItems());
            return HttpResponse.status(HttpStatus.CREATED).body(new SyncListAddition(addition.added().size(),
                    addition.alreadyListed(), addition.added().stream().map(SyncListItemView::of).toList()));
        }
        SyncListItem added = lists.add(caller.tenant(), ownership, request.item());
        return HttpResponse.created(new SyncListAddition(1, 0, List.of(SyncListItemView.of(added))),
                URI.create("/api/sync-list/" + added.id()));
    }

    @Operation(operationId = "listSyncList", summary = "List the sync list",
            description = "The caller's items (`sync:admin`: every owner's), newest first, narrowed by each filter"
                    + " given. A filter value that is not one of its values, or an unknown or repeated parameter:"
                    + " 400. Role: `sync:read`.")
    @ApiResponse(responseCode = "200", description = "A page of items.", headers = @Header(
            name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
            required = true, schema = @Schema(type = "string")))
    @Get
    @Secured(Role.READ)
    SyncListPage list(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, HttpRequest<?> request,
                      @Parameter(description = "only items whose last push ended so (`pending`: never pushed)",
                              schema = @Schema(type = "string", allowableValues = {"success", "failed", "pending"}))
                      @Nullable @QueryValue String status,
                      @Parameter(description = "only items of this source collection", schema = @Schema(
                              type = "string", pattern = TenantApi.KEY_PATTERN))
                      @Nullable @QueryValue String collection,
                      @Parameter(description = "only items of this sync mode", schema = @Schema(type = "string",
                              allowableValues = {"delta", "full"}))
                      @Nullable @QueryValue String mode,
                      @Parameter(description = "only active (`true`) or inactive (`false`) items", schema = @Schema(
                              type = "string", allowableValues = {"true", "false"}))
                      @Nullable @QueryValue String active,
                      @ApiParameters.AppKey @Nullable @QueryValue("target_app_key") String targetAppKey,
                      @Parameter(description = "only items added from this saved filter", schema = @Schema(
                              type = "string", format = "uuid"))
                      @Nullable @QueryValue("saved_filter_id") String savedFilterId,
                      @ApiParameters.Limit @Nullable @QueryValue Integer limit,
                      @ApiParameters.Offset @Nullable @QueryValue Long offset) {
        PARAMETERS.check(request);
        ApiProblem.requireValidKey("collection", collection);
        ApiProblem.requireValidKey("target_app_key", targetAppKey);
        SyncListItems.Filter filter = new SyncListItems.Filter(null,
                status == null ? null : ItemStatus.of(status).orElseThrow(() -> ApiProblem.invalidField("status",
                        "must be one of success, failed, pending")),
                collection,
                mode == null ? null : RunMode.push(mode).orElseThrow(() -> ApiProblem.invalidField("mode",
                        "must be delta or full")),
                active == null ? null : bool("active", active),
                targetAppKey,
                savedFilterId == null ? null : UuidText.parse(savedFilterId).orElseThrow(() ->
                        ApiProblem.invalidField("saved_filter_id", "must be a UUID")));
        PageRequest page = PageRequest.of(limit, offset);
        SyncLists.Listing listing = lists.list(caller.tenant(), Ownership.of(caller.principal()), filter,
                page.limit(), page.offset());
        return new SyncListPage(listing.items().stream().map(SyncListItemView::of).toList(), page.limit(),
                page.offset(), listing.total());
    }

    @Operation(operationId = "getSyncListItem", summary = "Get a sync list item",
            description = "One item; another owner's (below `sync:admin`) or an unknown one: 404. Role: `sync:read`.")
    @ApiResponse(responseCode = "200", description = "The item.", headers = @Header(
            name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
            required = true, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    @Get("/{id}")
    @Secured(Role.READ)
    SyncListItemView get(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller,
                         @ApiParameters.SyncListItemId @PathVariable String id) {
        return SyncListItemView.of(lists.get(caller.tenant(), Ownership.of(caller.principal()), itemId(id)));
    }

    @Operation(operationId = "updateSyncListItem", summary = "Change a sync list item",
            description = "Each member given replaces the item's (`sync_mode`, `active`, `push_on_change`,"
                    + " `field_mapping`, `metadata`); any other member — what it pushes and where to — is a 400"
                    + " naming it. Another owner's or an unknown item: 404. Role: `sync:write`.")
    @ApiResponse(responseCode = "200", description = "The item as changed.", headers = @Header(
            name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
            required = true, schema = @Schema(type = "string")))
    @ProblemResponses.JsonBody
    @ProblemResponses.NotFound
    @Patch("/{id}")
    @Secured(Role.WRITE)
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SyncListItemUpdate.class)))
    SyncListItemView update(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller,
                            @ApiParameters.SyncListItemId @PathVariable String id, @Nullable @Body byte[] body) {
        SyncListItemUpdate request = bodies.read(body, SyncListItemUpdate.class);
        return SyncListItemView.of(lists.update(caller.tenant(), Ownership.of(caller.principal()), itemId(id),
                request.change()));
    }

    @Operation(operationId = "deleteSyncListItem", summary = "Remove a sync list item",
            description = "The record is no longer pushed; what the target holds stays. Another owner's or an"
                    + " unknown item: 404. Role: `sync:write`.")
    @ApiResponse(responseCode = "204", description = "Removed.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    // No body on success, a problem otherwise: a client that accepts only problems is answered too.
    @Delete(uri = "/{id}", produces = {MediaType.APPLICATION_JSON, ProblemDetails.MEDIA_TYPE})
    @Secured(Role.WRITE)
    HttpResponse<Void> delete(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller,
                              @ApiParameters.SyncListItemId @PathVariable String id) {
        lists.delete(caller.tenant(), Ownership.of(caller.principal()), itemId(id));
        return HttpResponse.noContent();
    }

    /** A path id that is no UUID names no item. */
    private static UUID itemId(String id) {
        return UuidText.parse(id).orElseThrow(() -> ApiProblem.notFound("No sync list item " + id));
    }

    private static boolean bool(String field, String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw ApiProblem.invalidField(field, "must be true or false");
        }
        return Boolean.parseBoolean(value);
    }
}
