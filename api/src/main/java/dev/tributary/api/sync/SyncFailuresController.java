package dev.tributary.api.sync;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.docs.ApiParameters;
import dev.tributary.api.docs.ProblemResponses;
import dev.tributary.api.docs.TenantApi;
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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
@TenantApi
class SyncFailuresController {

    static final int MAX_RETRIED = 1_000;

    @Schema(name = "FailedRecord", description = "A record a run could not apply, and its retries.")
    @Serdeable
    record FailureView(long id,
                       @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the run it last failed in") UUID syncId,
                       String appKey, String collection, String externalId,
                       @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"create", "update", "delete", "archive", "fetch"})
                       String operation,
                       @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"failed", "pending", "succeeded"}) String status,
                       @Nullable String error, int retryCount, Instant createdAt, Instant updatedAt) {
        static FailureView of(SyncRecords.Row row) {
            return new FailureView(row.id(), row.syncId(), row.appKey(), row.collectionKey(), row.externalId(),
                    row.operation(), row.status(), row.error(), row.retryCount(), row.createdAt(), row.updatedAt());
        }
    }

    /** The body of {@code POST /api/sync/retry}: which failed records; all of the tenant's when empty. */
    @Schema(name = "RetryRequest", description = "Which failed records to retry: all of the tenant's when empty.")
    @Serdeable
    record RetryRequest(
            @Nullable @Schema(nullable = false, pattern = TenantApi.KEY_PATTERN) String appKey,
            @Nullable @Schema(nullable = false, pattern = TenantApi.KEY_PATTERN) String collection,
            @Nullable @ArraySchema(minItems = 1, maxItems = MAX_RETRIED, schema = @Schema(type = "integer",
                    format = "int64", minimum = "1"), arraySchema = @Schema(nullable = false, description = "the"
                    + " failed records' ids (`listFailures`)")) List<Long> recordIds) {
    }

    @Schema(name = "FailedRecordPage", description = "A page of failed records, newest first.")
    @Serdeable
    record FailedRecordPage(List<FailureView> items, int limit, long offset, long total) {
    }

    /** How many records were queued for retry, and the runs that retry them (no run: {@code sync_id} null). */
    @Schema(name = "RetryResult", description = "How many records were queued for retry, and the runs that retry"
            + " them (one per app and collection).")
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RetryView(int queued,
                     @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the first retry run; null when nothing was queued")
                     UUID syncId,
                     List<UUID> syncIds) {
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

    @Operation(operationId = "listFailures", summary = "List failed records",
            description = "Records runs could not apply, newest first; each can be retried by id. Role: `sync:read`.")
    @ApiResponse(responseCode = "200", description = "A page of failed records.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @Get("/failures")
    @Secured(Role.READ)
    FailedRecordPage list(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, @ApiParameters.AppKey @Nullable @QueryValue("app_key") String appKey,
                                   @ApiParameters.Collection @Nullable @QueryValue String collection, @ApiParameters.Limit @Nullable @QueryValue Integer limit,
                                   @ApiParameters.Offset @Nullable @QueryValue Long offset) {
        ApiProblem.requireValidKey("app_key", appKey);
        ApiProblem.requireValidKey("collection", collection);
        PageRequest page = PageRequest.of(limit, offset);
        String tenant = caller.tenant().value();
        return scope.readJdbc(caller.tenant(), c -> new FailedRecordPage(
                failures.list(c, tenant, appKey, collection, page.limit(), page.offset()).stream()
                        .map(FailureView::of).toList(),
                page.limit(), page.offset(), failures.count(c, tenant, appKey, collection)));
    }

    @Operation(operationId = "retryFailures", summary = "Retry failed records",
            description = "Re-fetches the failed records chosen (by app, collection or id; all of the tenant's when"
                    + " the body is empty or absent) and applies them again, in one `retry` run per app and"
                    + " collection; when a run ends each record is marked succeeded or failed again. Role:"
                    + " `sync:admin`.")
    @ApiResponse(responseCode = "202", description = "Queued (possibly nothing).",
            content = @Content(schema = @Schema(implementation = RetryView.class)), headers = {
            @Header(name = ProblemResponses.LOCATION, description = "the first retry run's progress; absent when nothing"
                    + " was queued", schema = @Schema(type = "string")), @Header(name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
                    required = true, schema = @Schema(type = "string"))})
    @ProblemResponses.JsonBody
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

    @Operation(operationId = "retryFailure", summary = "Retry one failed record",
            description = "Re-fetches one failed record by id and applies it again in a `retry` run. A record that"
                    + " is not failed: 400 `record_not_failed`; one that failed before the source gave its id: 400"
                    + " `record_not_refetchable`. Role: `sync:admin`.")
    @ApiResponse(responseCode = "202", description = "Queued.",
            content = @Content(schema = @Schema(implementation = RetryView.class)), headers = {
            @Header(name = ProblemResponses.LOCATION, description = "the retry run's progress; absent when the"
                    + " record's app is gone and nothing was queued", schema = @Schema(type = "string")), @Header(name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
                    required = true, schema = @Schema(type = "string"))})
    @ProblemResponses.NotFound
    @Post("/failures/{id}/retry")
    @Secured(Role.ADMIN)
    HttpResponse<RetryView> retryOne(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller, @Parameter(description = "the failed record's id", schema = @Schema(type = "integer", format = "int64", minimum = "1"))
                                     @PathVariable String id) {
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
