package dev.tributary.api.app;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.docs.ApiParameters;
import dev.tributary.api.docs.ProblemResponses;
import dev.tributary.api.docs.TenantApi;
import dev.tributary.api.list.PageRequest;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.JsonBodies;
import dev.tributary.api.problem.ProblemDetails;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.tenancy.Role;
import io.micronaut.core.annotation.Nullable;
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
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;

/**
 * A tenant's apps: one connected account of one connector each. The rules of an app are
 * scheduler's {@link Apps}; this controller reads bodies, merges a PATCH into the stored app
 * ({@link AppRequest#appliedTo}) and shows apps ({@link AppView}); refusals become problems
 * in {@link AppProblemHandler}.
 */
@Controller("/api/apps")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "apps")
@TenantApi
class AppController {

    private final Apps apps;
    private final JsonBodies bodies;

    AppController(Apps apps, JsonBodies bodies) {
        this.apps = apps;
        this.bodies = bodies;
    }

    @Operation(operationId = "createApp", summary = "Create an app",
            description = "Connects one account of one connector: checked whole (the connector checks its `config`"
                    + " and `credentials`), credentials sealed, the schedule set, in one transaction. Every refusal"
                    + " names its field. 409 `app_exists` when the key is taken. Role: `sync:admin`.")
    @ApiResponse(responseCode = "201", description = "Created; `Location` is the app's URL.",
            content = @Content(schema = @Schema(implementation = AppView.class)), headers = {
            @Header(name = ProblemResponses.LOCATION, description = "`/api/apps/{app_key}`", required = true,
                    schema = @Schema(type = "string")),
            @Header(name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
                    required = true, schema = @Schema(type = "string"))})
    @ProblemResponses.JsonBody
    @ProblemResponses.Conflict
    @Post
    @Secured(Role.ADMIN)
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = AppCreate.class)))
    HttpResponse<AppView> create(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, @Nullable @Body byte[] body) {
        AppView app = AppView.of(apps.create(caller.tenant(), bodies.read(body, AppCreate.class).request().created()));
        return HttpResponse.created(app, URI.create("/api/apps/" + app.appKey()));
    }

    @Operation(operationId = "listApps", summary = "List apps",
            description = "The tenant's apps, newest first. Role: `sync:read`.")
    @ApiResponse(responseCode = "200", description = "A page of apps.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @Get
    @Secured(Role.READ)
    AppPage list(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, @ApiParameters.Limit @Nullable @QueryValue Integer limit,
                               @ApiParameters.Offset @Nullable @QueryValue Long offset) {
        PageRequest page = PageRequest.of(limit, offset);
        Apps.Listing listing = apps.list(caller.tenant(), page.limit(), page.offset());
        return new AppPage(listing.apps().stream().map(AppView::of).toList(), page.limit(), page.offset(),
                listing.total());
    }

    @Operation(operationId = "getApp", summary = "Get an app",
            description = "One app: never its credentials nor its webhook secret, only whether credentials are set."
                    + " Role: `sync:read`.")
    @ApiResponse(responseCode = "200", description = "The app.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    @Get("/{appKey}")
    @Secured(Role.READ)
    AppView get(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, @ApiParameters.AppKey @PathVariable String appKey) {
        ApiProblem.requireValidKey("app_key", appKey);
        return AppView.of(apps.get(caller.tenant(), appKey));
    }

    @Operation(operationId = "updateApp", summary = "Change an app",
            description = "Each member given replaces the app's; absent members stay as they are; the result is"
                    + " checked whole, as a creation is. Concurrent changes apply one after the other. Role:"
                    + " `sync:admin`.")
    @ApiResponse(responseCode = "200", description = "The app as changed.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @ProblemResponses.JsonBody
    @ProblemResponses.NotFound
    @Patch("/{appKey}")
    @Secured(Role.ADMIN)
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = AppRequest.class)))
    AppView update(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, @ApiParameters.AppKey @PathVariable String appKey, @Nullable @Body byte[] body) {
        AppRequest request = bodies.read(body, AppRequest.class);
        ApiProblem.requireValidKey("app_key", appKey);
        return AppView.of(apps.update(caller.tenant(), appKey, request::appliedTo));
    }

    @Operation(operationId = "deleteApp", summary = "Delete an app",
            description = "Deletes the app with its records, sync state, locks and webhook log. An app with a sync"
                    + " running is not deleted: 409 `app_sync_running` (cancel the run, or let it end). Role:"
                    + " `sync:admin`.")
    @ApiResponse(responseCode = "204", description = "Deleted.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    // No body on success, a problem otherwise: a client that accepts only problems is answered too.
    @Delete(uri = "/{appKey}", produces = {MediaType.APPLICATION_JSON, ProblemDetails.MEDIA_TYPE})
    @Secured(Role.ADMIN)
    HttpResponse<Void> delete(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, @ApiParameters.AppKey @PathVariable String appKey) {
        ApiProblem.requireValidKey("app_key", appKey);
        apps.delete(caller.tenant(), appKey);
        return HttpResponse.noContent();
    }
}
