package dev.tributary.api.admin;

import dev.tributary.api.docs.AdminApi;
import dev.tributary.api.docs.ProblemResponses;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.JsonBodies;
import dev.tributary.scheduler.push.ScheduledSyncRound;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The operator's scheduled sync (seed 004's service-role {@code scheduled-sync}, for an external cron): every
 * enabled tenant's active sync list items pushed as the system, one delta run per tenant, owner and target app,
 * answered once they end or the wait is over. Behind {@link AdminAccessRule}, for the admin key only.
 */
@Controller("/admin/sync-list/scheduled-sync")
@Secured(AdminKeyValidator.OPERATOR)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "admin")
@AdminApi
class ScheduledSyncController {

    @Schema(name = "ScheduledSyncRequest")
    @Serdeable
    record ScheduledSyncRequest(
            @Nullable @Schema(nullable = false, minimum = "0", maximum = "600", description = "how long to wait for"
                    + " the runs to end (default `tributary.sync-list.scheduled-sync-wait`, 300)") Integer waitSeconds) {
    }

    @Schema(name = "ScheduledSyncOwnerResult", description = "One owner's runs in one tenant and what they did.")
    @Serdeable
    record OwnerResultView(String tenantId, String owner,
                           @Schema(description = "one push run per target app") List<UUID> syncIds,
                           long itemsProcessed, long itemsSucceeded, long itemsFailed,
                           @Schema(description = "`<item id>: <error>`; `run <sync id>: <error>` for a run that"
                                   + " failed whole; `<target app>: not queued: <why>`") List<String> errors) {
        static OwnerResultView of(ScheduledSyncRound.OwnerResult result) {
            return new OwnerResultView(result.tenantId(), result.owner(), result.syncIds(), result.itemsProcessed(),
                    result.itemsSucceeded(), result.itemsFailed(), result.errors());
        }
    }

    @Schema(name = "ScheduledSyncResult", description = "What the scheduled sync queued and what its runs did by the"
            + " time it answered.")
    @Serdeable
    record ResultView(@Schema(description = "tenants that had active items") int totalTenants,
                      @Schema(description = "active items queued") long totalItems,
                      long itemsProcessed,
                      @Schema(description = "created, updated or unchanged") long itemsSucceeded,
                      long itemsFailed, long durationMs,
                      @Schema(description = "whether every run had ended; runs still going go on") boolean complete,
                      List<OwnerResultView> results) {
        static ResultView of(ScheduledSyncRound.Report report) {
            return new ResultView(report.totalTenants(), report.totalItems(), report.itemsProcessed(),
                    report.itemsSucceeded(), report.itemsFailed(), report.durationMs(), report.complete(),
                    report.results().stream().map(OwnerResultView::of).toList());
        }
    }

    private final ScheduledSyncRound round;
    private final ScheduledSyncConfiguration configuration;
    private final JsonBodies bodies;

    ScheduledSyncController(ScheduledSyncRound round, ScheduledSyncConfiguration configuration, JsonBodies bodies) {
        this.round = round;
        this.configuration = configuration;
        this.bodies = bodies;
    }

    @Operation(operationId = "runScheduledSync", summary = "Push every tenant's sync list",
            description = "For every enabled tenant, its active sync list items are queued as delta push runs"
                    + " (trigger `schedule`), one per owner and target app, as the system; the answer comes when"
                    + " they have all ended or `wait_seconds` is over (`complete` says which), summed up by tenant"
                    + " and owner. No body, `{}`, or `{\"wait_seconds\": 0..600}`. Operator key.")
    @ApiResponse(responseCode = "200", description = "What was queued and what it did.", headers = @Header(
            name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
            required = true, schema = @Schema(type = "string")))
    @ProblemResponses.JsonBody
    @Post
    @RequestBody(content = @Content(schema = @Schema(implementation = ScheduledSyncRequest.class)))
    ResultView run(@Nullable @Body byte[] body) {
        return ResultView.of(round.run(waitOf(body)));
    }

    private Duration waitOf(@Nullable byte[] body) {
        String text = JsonBodies.text(body);
        if (text == null || text.isBlank()) {
            return configuration.scheduledSyncWait();
        }
        Integer seconds = bodies.read(text, ScheduledSyncRequest.class).waitSeconds();
        if (seconds == null) {
            return configuration.scheduledSyncWait();
        }
        if (seconds < 0 || seconds > ScheduledSyncConfiguration.LONGEST_WAIT_SECONDS) {
            throw ApiProblem.invalidField("wait_seconds", "must be an integer from 0 to "
                    + ScheduledSyncConfiguration.LONGEST_WAIT_SECONDS);
        }
        return Duration.ofSeconds(seconds);
    }
}
