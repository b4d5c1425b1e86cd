package dev.tributary.api.sync;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.docs.ApiParameters;
import dev.tributary.api.docs.ProblemResponses;
import dev.tributary.api.docs.TenantApi;
import dev.tributary.api.list.PageRequest;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.db.run.RunStatus;
import dev.tributary.db.run.SyncRecords;
import dev.tributary.db.run.SyncRun;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.app.LoadedApp;
import dev.tributary.scheduler.run.SyncQueue;
import dev.tributary.scheduler.run.SyncRuns;
import dev.tributary.tenancy.Role;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
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
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The tenant's sync runs: the list newest first, one run in detail, and cancel and rerun. */
@Controller("/api/sync/status")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "sync")
@TenantApi
class SyncStatusController {

    static final int FIRST_FAILURES = 10;
    static final Set<RunStatus> RERUNNABLE = Set.of(RunStatus.FAILED, RunStatus.DEAD_LETTERED, RunStatus.CANCELLED);

    private final SyncRuns runs;
    private final SyncQueue queue;
    private final Apps apps;
    private final SyncRecords syncRecords;
    private final TenantScope scope;

    SyncStatusController(SyncRuns runs, SyncQueue queue, Apps apps, SyncRecords syncRecords, TenantScope scope) {
        this.runs = runs;
        this.queue = queue;
        this.apps = apps;
        this.syncRecords = syncRecords;
        this.scope = scope;
    }

    @Operation(operationId = "listSyncRuns", summary = "List sync runs",
            description = "The tenant's runs, newest first, without attempts, notes, failures and preview. Role:"
                    + " `sync:read`.")
    @ApiResponse(responseCode = "200", description = "A page of runs.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @Get
    @Secured(Role.READ)
    SyncRunPage list(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller,
                                   @ApiParameters.AppKey @Nullable @QueryValue("app_key") String appKey,
                                   @ApiParameters.Collection @Nullable @QueryValue String collection,
                                   @Parameter(description = "only runs in this status (one of RunStatus)", schema = @Schema(
                                           type = "string", allowableValues = {"queued", "running", "completed",
                                           "completed_with_errors", "failed", "retry_scheduled", "dead_lettered",
                                           "cancelled"}))
                                   @Nullable @QueryValue String status,
                                   @ApiParameters.Limit @Nullable @QueryValue Integer limit,
                                   @ApiParameters.Offset @Nullable @QueryValue Long offset) {
        ApiProblem.requireValidKey("app_key", appKey);
        ApiProblem.requireValidKey("collection", collection);
        RunStatus wanted = status == null ? null : RunStatus.of(status).orElseThrow(() -> ApiProblem.invalidField(
                "status", "must be one of " + String.join(", ",
                        Arrays.stream(RunStatus.values()).map(RunStatus::value).sorted().toList())));
        PageRequest page = PageRequest.of(limit, offset);
        return scope.read(caller.tenant(), () -> new SyncRunPage(
                runs.list(caller.tenant(), appKey, collection, wanted, page.limit(), page.offset()).stream()
                        .map(SyncRunView::of).toList(),
                page.limit(), page.offset(), runs.count(caller.tenant(), appKey, collection, wanted)));
    }

    @Operation(operationId = "getSyncRun", summary = "Get a sync run",
            description = "One run in detail: status, counts (live while it runs), timestamps, duration, every attempt,"
                    + " the node, the sanitized error, notes, a summary of the records it failed on, and a dry run's"
                    + " preview. Role: `sync:read`.")
    @ApiResponse(responseCode = "200", description = "The run.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    @Get("/{syncId}")
    @Secured(Role.READ)
    SyncRunView get(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, @ApiParameters.SyncId @PathVariable String syncId) {
        SyncRun run = existing(caller, syncId);
        SyncRecords.Summary failures = scope.readJdbc(caller.tenant(), c ->
                syncRecords.summary(c, run.tenantId(), run.id(), FIRST_FAILURES));
        return SyncRunView.detail(run, failures);
    }

    /**
     * Cancels a run: one still waiting is cancelled at once (200); a running one stops at its next
     * batch boundary and ends cancelled (202); a finished one cannot be (409).
     */
    @Operation(operationId = "cancelSyncRun", summary = "Cancel a sync run",
            description = "A run still waiting is cancelled at once (200); a running one stops at its next page"
                    + " and ends `cancelled` (202, `cancel_requested`); a finished one: 409 `run_finished`. Role:"
                    + " `sync:admin`.")
    @ApiResponse(responseCode = "200", description = "Cancelled: it had not started.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "202", description = "Stopping: it ends `cancelled` at its next page.",
            content = @Content(schema = @Schema(implementation = SyncRunView.class)), headers = @Header(name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
                    required = true, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    @Post("/{syncId}/cancel")
    @Secured(Role.ADMIN)
    HttpResponse<SyncRunView> cancel(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, @ApiParameters.SyncId @PathVariable String syncId) {
        SyncRun run = existing(caller, syncId);
        SyncQueue.Cancellation cancellation = queue.cancel(run);
        if (cancellation == SyncQueue.Cancellation.ALREADY_FINISHED) {
            throw new ApiProblem(HttpStatus.CONFLICT, "run_finished", "Run " + syncId + " has already finished ("
                    + existing(caller, syncId).status().value() + ")");
        }
        SyncRunView now = SyncRunView.of(existing(caller, syncId));
        return cancellation == SyncQueue.Cancellation.CANCELLED ? HttpResponse.ok(now)
                : HttpResponse.<SyncRunView>status(HttpStatus.ACCEPTED).body(now);
    }

    /** Runs a failed, dead-lettered or cancelled run's request again, as a new run (202, like a trigger). */
    @Operation(operationId = "rerunSyncRun", summary = "Run a sync run again",
            description = "Queues a failed, dead-lettered or cancelled run's request as a new run (records it failed"
                    + " on are retried by id); others: 409 `run_not_rerunnable`. Role: `sync:admin`.")
    @ApiResponse(responseCode = "202", description = "The new run, queued.",
            content = @Content(schema = @Schema(implementation = QueuedRunView.class)), headers = {@Header(name = ProblemResponses.LOCATION, description = "`/api/sync/status/{sync_id}`: the run's progress",
                    required = true, schema = @Schema(type = "string")), @Header(name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
                    required = true, schema = @Schema(type = "string"))})
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    @Post("/{syncId}/rerun")
    @Secured(Role.ADMIN)
    HttpResponse<QueuedRunView> rerun(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, @ApiParameters.SyncId @PathVariable String syncId) {
        SyncRun run = existing(caller, syncId);
        if (!RERUNNABLE.contains(run.status())) {
            throw new ApiProblem(HttpStatus.CONFLICT, "run_not_rerunnable", "Run " + syncId + " is "
                    + run.status().value() + "; only failed, dead-lettered or cancelled runs are run again");
        }
        LoadedApp app = apps.load(caller.tenant(), run.appKey())
                .orElseThrow(() -> ApiProblem.notFound("No app " + run.appKey()));
        SyncRun again = queue.rerun(run, app.maxAttempts());
        return HttpResponse.<QueuedRunView>status(HttpStatus.ACCEPTED).body(QueuedRunView.of(again))
                .headers(h -> h.location(URI.create("/api/sync/status/" + again.id())));
    }

    private SyncRun existing(CallerTenant caller, String syncId) {
        UUID id;
        try {
            id = UUID.fromString(syncId);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("No sync run " + syncId);
        }
        return runs.find(caller.tenant(), id).orElseThrow(() -> ApiProblem.notFound("No sync run " + syncId));
    }
}
