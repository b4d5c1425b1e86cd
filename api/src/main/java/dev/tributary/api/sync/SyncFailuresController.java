package dev.tributary.api.sync;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.list.ListResponse;
import dev.tributary.api.list.PageRequest;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.JsonBodies;
import dev.tributary.db.run.RunFilters;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.SyncRecords;
import dev.tributary.db.run.SyncRun;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.scheduler.run.SyncQueue;
import dev.tributary.tenancy.Role;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Failed records and their retries: the list, and retries that re-fetch the records by
 * id through the engine (one run per app and collection, trigger {@code retry}); when a
 * retry run ends, each record is marked succeeded or failed again, its retry count up.
 */
@Controller("/api/sync")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "sync")
class SyncFailuresController {

    static final int MAX_RETRIED = 1_000;

    @Serdeable
    record FailureView(long id, UUID syncId, String appKey, String collection, String externalId, String operation,
                       String status, @Nullable String error, int retryCount, Instant createdAt, Instant updatedAt) {
        static FailureView of(SyncRecords.Row row) {
            return new FailureView(row.id(), row.syncId(), row.appKey(), row.collectionKey(), row.externalId(),
                    row.operation(), row.status(), row.error(), row.retryCount(), row.createdAt(), row.updatedAt());
        }
    }

    /** The body of {@code POST /api/sync/retry}: which failed records; all of the tenant's when empty. */
    @Serdeable
    record RetryRequest(@Nullable String appKey, @Nullable String collection, @Nullable List<Long> recordIds) {
    }

    /** How many records were queued for retry, and the runs that retry them (no run: {@code sync_id} null). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RetryView(int queued, @Nullable UUID syncId, List<UUID> syncIds) {
    }

    private final SyncRecords failures;
    private final SyncQueue queue;
    private final Apps apps;
    private final TenantScope scope;
    private final JsonBodies bodies;

    SyncFailuresController(SyncRecords failures, SyncQueue queue, Apps apps, TenantScope scope,
                           JsonBodies bodies) {
        this.failures = failures;
        this.queue = queue;
        this.apps = apps;
        this.scope = scope;
        this.bodies = bodies;
    }

    @Get("/failures")
    @Secured(Role.READ)
    ListResponse<FailureView> list(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, @Nullable @QueryValue("app_key") String appKey,
                                   @Nullable @QueryValue String collection, @Nullable @QueryValue Integer limit,
                                   @Nullable @QueryValue Long offset) {
        ApiProblem.requireValidKey("app_key", appKey);
        ApiProblem.requireValidKey("collection", collection);
        PageRequest page = PageRequest.of(limit, offset);
        String tenant = caller.tenant().value();
        return scope.readJdbc(caller.tenant(), c -> new ListResponse<>(
                failures.list(c, tenant, appKey, collection, page.limit(), page.offset()).stream()
                        .map(FailureView::of).toList(),
                page.limit(), page.offset(), failures.count(c, tenant, appKey, collection)));
    }

    @Post("/retry")
    @Secured(Role.ADMIN)
    @RequestBody(content = @Content(schema = @Schema(implementation = RetryRequest.class)))
    HttpResponse<RetryView> retry(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, @Nullable @Body byte[] body) {
        String text = JsonBodies.text(body);
        RetryRequest request = text == null || text.isBlank() ? new RetryRequest(null, null, null)
                : bodies.read(text, RetryRequest.class);
        ApiProblem.requireValidKey("app_key", request.appKey());
        ApiProblem.requireValidKey("collection", request.collection());
        if (request.recordIds() != null) {
            if (request.recordIds().isEmpty() || request.recordIds().size() > MAX_RETRIED) {
                throw ApiProblem.invalidField("record_ids", "give 1 to " + MAX_RETRIED + " ids, or leave it out");
            }
            if (request.recordIds().stream().anyMatch(id -> id == null || id <= 0)) {
                throw ApiProblem.invalidField("record_ids", "every id must be a positive integer");
            }
        }
        List<SyncRecords.Row> rows = scope.readJdbc(caller.tenant(), c -> failures.toRetry(c,
                caller.tenant().value(), request.appKey(), request.collection(), request.recordIds(), MAX_RETRIED));
        return accepted(retry(caller.tenant(), rows));
    }

    @Post("/failures/{id}/retry")
    @Secured(Role.ADMIN)
    HttpResponse<RetryView> retryOne(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, @PathVariable String id) {
        long recordId;
        try {
            recordId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiProblem.notFound("No failed record " + id);
        }
        SyncRecords.Row row = scope.readJdbc(caller.tenant(), c -> failures.find(c, caller.tenant().value(), recordId))
                .orElseThrow(() -> ApiProblem.notFound("No failed record " + id));
        if (!row.status().equals("failed")) {
            throw ApiProblem.badRequest("record_not_failed", "Record " + id + " is " + row.status()
                    + "; only failed records are retried");
        }
        if (row.externalId().equals(SyncRecords.UNKNOWN_ID)) {
            throw ApiProblem.badRequest("record_not_refetchable", "Record " + id
                    + " failed before the source gave its id, so it cannot be fetched again; run a sync instead");
        }
        return accepted(retry(caller.tenant(), List.of(row)));
    }

    /** One retry run per app and collection over the records that can be fetched again by id. */
    private RetryView retry(TenantId tenant, List<SyncRecords.Row> rows) {
        Map<List<String>, List<SyncRecords.Row>> byTarget = new LinkedHashMap<>();
        for (SyncRecords.Row row : rows) {
            if (!row.externalId().equals(SyncRecords.UNKNOWN_ID)) {
                byTarget.computeIfAbsent(List.of(row.appKey(), row.collectionKey()), k -> new ArrayList<>()).add(row);
            }
        }
        int queued = 0;
        List<UUID> runs = new ArrayList<>();
        for (var target : byTarget.entrySet()) {
            String appKey = target.getKey().get(0);
            var app = apps.load(tenant, appKey);
            if (app.isEmpty()) {
                continue; // the app was deleted: nothing to fetch its records into
            }
            List<SyncRecords.Row> records = target.getValue();
            var request = new SyncRequest(tenant, appKey, target.getKey().get(1), RunMode.INCREMENTAL,
                    false, false, records.stream().map(SyncRecords.Row::externalId).distinct().toList(),
                    RunFilters.NONE);
            SyncRun run = queue.enqueueRetry(request, app.get().maxAttempts(),
                    records.stream().map(SyncRecords.Row::id).toList());
            runs.add(run.id());
            queued += records.size();
        }
        return new RetryView(queued, runs.isEmpty() ? null : runs.get(0), runs);
    }

    private static HttpResponse<RetryView> accepted(RetryView view) {
        var response = HttpResponse.<RetryView>status(HttpStatus.ACCEPTED).body(view);
        return view.syncId() == null ? response
                : response.headers(h -> h.location(java.net.URI.create("/api/sync/status/" + view.syncId())));
    }
}
