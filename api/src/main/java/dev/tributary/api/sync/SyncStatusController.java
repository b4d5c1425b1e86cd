package dev.tributary.api.sync;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.auth.RequiresRole;
import dev.tributary.api.list.ListResponse;
import dev.tributary.api.list.PageRequest;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.db.run.FailedRecords;
import dev.tributary.db.run.SyncRun;
import dev.tributary.db.run.SyncRunRepository;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.app.LoadedApp;
import dev.tributary.scheduler.run.SyncQueue;
import dev.tributary.scheduler.run.SyncRuns;
import dev.tributary.tenancy.Role;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The tenant's sync runs: the list newest first, one run in detail, and cancel and rerun. */
@Controller("/api/sync/status")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "sync")
class SyncStatusController {

    static final int FIRST_FAILURES = 10;
    static final Set<String> RERUNNABLE = Set.of("failed", "dead_lettered", "cancelled");

    private final SyncRunRepository runs;
    private final SyncRuns syncRuns;
    private final SyncQueue queue;
    private final Apps apps;
    private final FailedRecords failedRecords;
    private final TenantScope scope;
    private final JsonMapper jsonMapper;

    SyncStatusController(SyncRunRepository runs, SyncRuns syncRuns, SyncQueue queue, Apps apps,
                         FailedRecords failedRecords, TenantScope scope, JsonMapper jsonMapper) {
        this.runs = runs;
        this.syncRuns = syncRuns;
        this.queue = queue;
        this.apps = apps;
        this.failedRecords = failedRecords;
        this.scope = scope;
        this.jsonMapper = jsonMapper;
    }

    @Get
    @RequiresRole(Role.SYNC_READ)
    ListResponse<SyncRunView> list(CallerTenant caller,
                                   @Nullable @QueryValue("app_key") String appKey,
                                   @Nullable @QueryValue String collection,
                                   @Nullable @QueryValue String status,
                                   @Nullable @QueryValue Integer limit,
                                   @Nullable @QueryValue Long offset) {
        ApiProblem.requireValidKey("app_key", appKey);
        ApiProblem.requireValidKey("collection", collection);
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
        SyncRun run = existing(caller, syncId);
        FailedRecords.Summary failures = scope.readJdbc(caller.tenant(), c ->
                failedRecords.summary(c, run.tenantId(), run.id(), FIRST_FAILURES));
        return SyncRunView.detail(run, json(run.attempts(), Argument.listOf(Object.class)),
                json(run.notes(), Argument.listOf(String.class)), failures,
                run.dryRunPreview() == null ? null
                        : json(run.dryRunPreview(), Argument.mapOf(String.class, Object.class)));
    }

    /**
     * Cancels a run: one still waiting is cancelled at once (200); a running one stops at its next
     * batch boundary and ends cancelled (202); a finished one cannot be (409).
     */
    @Post("/{syncId}/cancel")
    @RequiresRole(Role.SYNC_ADMIN)
    HttpResponse<SyncRunView> cancel(CallerTenant caller, @PathVariable String syncId) {
        SyncRun run = existing(caller, syncId);
        SyncQueue.Cancellation cancellation = queue.cancel(run);
        if (cancellation == SyncQueue.Cancellation.ALREADY_FINISHED) {
            throw new ApiProblem(HttpStatus.CONFLICT, "run_finished", "Run " + syncId + " has already finished ("
                    + existing(caller, syncId).status() + ")");
        }
        SyncRunView now = SyncRunView.of(existing(caller, syncId));
        return cancellation == SyncQueue.Cancellation.CANCELLED ? HttpResponse.ok(now)
                : HttpResponse.<SyncRunView>status(HttpStatus.ACCEPTED).body(now);
    }

    /** Runs a failed, dead-lettered or cancelled run's request again, as a new run (202, like a trigger). */
    @Post("/{syncId}/rerun")
    @RequiresRole(Role.SYNC_ADMIN)
    HttpResponse<QueuedRunView> rerun(CallerTenant caller, @PathVariable String syncId) {
        SyncRun run = existing(caller, syncId);
        if (!RERUNNABLE.contains(run.status())) {
            throw new ApiProblem(HttpStatus.CONFLICT, "run_not_rerunnable", "Run " + syncId + " is " + run.status()
                    + "; only failed, dead-lettered or cancelled runs are run again");
        }
        LoadedApp app = apps.load(caller.tenant(), run.appKey())
                .orElseThrow(() -> ApiProblem.notFound("No app " + run.appKey()));
        List<Long> retried = syncRuns.retryRecords(run);
        SyncRun again = retried.isEmpty() ? queue.enqueue(syncRuns.request(run), "manual", app.maxAttempts(), null)
                : queue.enqueueRetry(syncRuns.request(run), app.maxAttempts(), retried);
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
        return scope.read(caller.tenant(), () -> runs.findByTenantIdAndId(caller.tenant().value(), id))
                .orElseThrow(() -> ApiProblem.notFound("No sync run " + syncId));
    }

    private <T> T json(String text, Argument<T> type) {
        try {
            return jsonMapper.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
