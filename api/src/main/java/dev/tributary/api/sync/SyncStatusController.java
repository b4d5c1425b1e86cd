package dev.tributary.api.sync;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.auth.RequiresRole;
import dev.tributary.api.list.ListResponse;
import dev.tributary.api.list.PageRequest;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.connector.Identifiers;
import dev.tributary.db.run.SyncRun;
import dev.tributary.db.run.SyncRunRepository;
import dev.tributary.tenancy.Role;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.UUID;

/** Reads of sync runs: the tenant's runs, newest first, and one run in detail. */
@Controller("/api/sync/status")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "sync")
class SyncStatusController {

    private final SyncRunRepository runs;
    private final TenantScope scope;

    SyncStatusController(SyncRunRepository runs, TenantScope scope) {
        this.runs = runs;
        this.scope = scope;
    }

    @Get
    @RequiresRole(Role.SYNC_READ)
    ListResponse<SyncRunView> list(CallerTenant caller,
                                   @Nullable @QueryValue("app_key") String appKey,
                                   @Nullable @QueryValue String collection,
                                   @Nullable @QueryValue String status,
                                   @Nullable @QueryValue Integer limit,
                                   @Nullable @QueryValue Long offset) {
        checkKey("app_key", appKey);
        checkKey("collection", collection);
        if (status != null && !SyncRun.STATUSES.contains(status)) {
            throw ApiProblem.invalidField("status", "must be one of " + String.join(", ",
                    SyncRun.STATUSES.stream().sorted().toList()));
        }
        PageRequest page = PageRequest.of(limit, offset);
        String tenant = caller.tenant().value();
        return scope.read(caller.tenant(), () -> new ListResponse<>(
                runs.list(tenant, appKey, collection, status, page.limit(), page.offset()).stream()
                        .map(SyncRunView::of).toList(),
                page.limit(), page.offset(), runs.count(tenant, appKey, collection, status)));
    }

    @Get("/{syncId}")
    @RequiresRole(Role.SYNC_READ)
    SyncRunView get(CallerTenant caller, @PathVariable String syncId) {
        UUID id;
        try {
            id = UUID.fromString(syncId);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("No sync run " + syncId);
        }
        return scope.read(caller.tenant(), () -> runs.findByTenantIdAndId(caller.tenant().value(), id))
                .map(SyncRunView::of)
                .orElseThrow(() -> ApiProblem.notFound("No sync run " + syncId));
    }

    private static void checkKey(String field, @Nullable String value) {
        if (value != null && !Identifiers.isValidKey(value)) {
            throw ApiProblem.invalidField(field, "must match " + Identifiers.KEY.pattern());
        }
    }
}
