package dev.tributary.api.app;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.auth.RequiresRole;
import dev.tributary.api.list.ListResponse;
import dev.tributary.api.list.PageRequest;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.JsonBodies;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.tenancy.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
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
class AppController {

    private final Apps apps;
    private final JsonBodies bodies;

    AppController(Apps apps, JsonBodies bodies) {
        this.apps = apps;
        this.bodies = bodies;
    }

    @Post
    @RequiresRole(Role.SYNC_ADMIN)
    @RequestBody(content = @Content(schema = @Schema(implementation = AppRequest.class)))
    HttpResponse<AppView> create(CallerTenant caller, @Nullable @Body byte[] body) {
        AppView app = AppView.of(apps.create(caller.tenant(), bodies.read(body, AppRequest.class).created()));
        return HttpResponse.created(app, URI.create("/api/apps/" + app.appKey()));
    }

    @Get
    @RequiresRole(Role.SYNC_READ)
    ListResponse<AppView> list(CallerTenant caller, @Nullable @QueryValue Integer limit,
                               @Nullable @QueryValue Long offset) {
        PageRequest page = PageRequest.of(limit, offset);
        Apps.Listing listing = apps.list(caller.tenant(), page.limit(), page.offset());
        return new ListResponse<>(listing.apps().stream().map(AppView::of).toList(), page.limit(), page.offset(),
                listing.total());
    }

    @Get("/{appKey}")
    @RequiresRole(Role.SYNC_READ)
    AppView get(CallerTenant caller, @PathVariable String appKey) {
        ApiProblem.requireValidKey("app_key", appKey);
        return AppView.of(apps.get(caller.tenant(), appKey));
    }

    @Patch("/{appKey}")
    @RequiresRole(Role.SYNC_ADMIN)
    @RequestBody(content = @Content(schema = @Schema(implementation = AppRequest.class)))
    AppView update(CallerTenant caller, @PathVariable String appKey, @Nullable @Body byte[] body) {
        AppRequest request = bodies.read(body, AppRequest.class);
        ApiProblem.requireValidKey("app_key", appKey);
        return AppView.of(apps.update(caller.tenant(), appKey, request::appliedTo));
    }

    @Delete("/{appKey}")
    @RequiresRole(Role.SYNC_ADMIN)
    HttpResponse<Void> delete(CallerTenant caller, @PathVariable String appKey) {
        ApiProblem.requireValidKey("app_key", appKey);
        apps.delete(caller.tenant(), appKey);
        return HttpResponse.noContent();
    }
}
