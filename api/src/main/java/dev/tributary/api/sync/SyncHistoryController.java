package dev.tributary.api.sync;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.docs.ApiParameters;
import dev.tributary.api.docs.ProblemResponses;
import dev.tributary.api.docs.TenantApi;
import dev.tributary.api.list.PageRequest;
import dev.tributary.api.list.QueryNames;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.db.run.HistoryStatus;
import dev.tributary.db.run.RunHistory;
import dev.tributary.db.run.SyncType;
import dev.tributary.db.run.RunKind;
import dev.tributary.tenancy.Ownership;
import dev.tributary.tenancy.Role;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * The sync history (seed 004's History tab): pull and push runs in one list, filtered by the history's own
 * sync type and status. Read in the caller's ownership scope, so row-level security shows the tenant's pulls
 * and the caller's own pushes ({@code sync:admin}: every owner's).
 */
@Controller("/api/sync/history")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "sync")
@TenantApi
class SyncHistoryController {

    private static final QueryNames PARAMETERS = QueryNames.of("sync_type", "status", "app_key", "kind", "limit",
            "offset");

    private final RunHistory history;
    private final TenantScope scope;

    SyncHistoryController(RunHistory history, TenantScope scope) {
        this.history = history;
        this.scope = scope;
    }

    @Operation(operationId = "listSyncHistory", summary = "List the sync history",
            description = "Pull and push runs, newest first, each with its `sync_type` and history `status`. The"
                    + " tenant's pulls and the caller's own pushes; with `sync:admin`, every owner's pushes. A filter"
                    + " value that is not one of its values, or an unknown or repeated parameter: 400. Role:"
                    + " `sync:read`.")
    @ApiResponse(responseCode = "200", description = "A page of the history.", headers = @Header(
            name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
            required = true, schema = @Schema(type = "string")))
    @Get
    @Secured(Role.READ)
    SyncHistoryPage list(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, HttpRequest<?> request,
                         @Parameter(description = "only runs of this history type", schema = @Schema(type = "string",
                                 allowableValues = {"manual", "delta", "full", "scheduled"}))
                         @Nullable @QueryValue("sync_type") String syncType,
                         @Parameter(description = "only runs in this history status", schema = @Schema(type = "string",
                                 allowableValues = {"completed", "partial_success", "failed", "queued", "running",
                                         "retry_scheduled", "cancelled"}))
                         @Nullable @QueryValue String status,
                         @ApiParameters.AppKey @Nullable @QueryValue("app_key") String appKey,
                         @Parameter(description = "only pulls or only pushes", schema = @Schema(type = "string",
                                 allowableValues = {"pull", "push"}))
                         @Nullable @QueryValue String kind,
                         @ApiParameters.Limit @Nullable @QueryValue Integer limit,
                         @ApiParameters.Offset @Nullable @QueryValue Long offset) {
        PARAMETERS.check(request);
        ApiProblem.requireValidKey("app_key", appKey);
        RunHistory.Filter filter = new RunHistory.Filter(
                oneOf("sync_type", syncType, SyncType::of, SyncType.values(),
                        SyncType::value),
                oneOf("status", status, HistoryStatus::of, HistoryStatus.values(),
                        HistoryStatus::value),
                appKey,
                oneOf("kind", kind, RunKind::of, RunKind.values(), RunKind::value));
        PageRequest page = PageRequest.of(limit, offset);
        RunHistory.Page found = scope.readJdbc(caller.tenant(), Ownership.of(caller.principal()), connection ->
                history.page(connection, caller.tenant().value(), filter, page.limit(), page.offset()));
        return new SyncHistoryPage(found.entries().stream().map(SyncHistoryEntry::of).toList(), page.limit(),
                page.offset(), found.total());
    }

    /** The filter's value, absent when not given, or a 400 listing the values it takes. */
    private static <E> E oneOf(String field, @Nullable String value, Function<String, Optional<E>> parse, E[] values,
                               Function<E, String> name) {
        if (value == null) {
            return null;
        }
        return parse.apply(value).orElseThrow(() -> ApiProblem.invalidField(field, "must be one of "
                + String.join(", ", Arrays.stream(values).map(name).toList())));
    }
}
