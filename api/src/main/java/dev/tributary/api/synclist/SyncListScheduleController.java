package dev.tributary.api.synclist;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.docs.ProblemResponses;
import dev.tributary.api.docs.TenantApi;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.JsonBodies;
import dev.tributary.api.problem.ProblemDetails;
import dev.tributary.scheduler.schedule.CronSchedule;
import dev.tributary.scheduler.schedule.SyncListSchedules;
import dev.tributary.tenancy.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
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

/**
 * The tenant's sync list schedule: a cron in a time zone, checked as an app's schedule is, kept as a Quartz
 * cron trigger whose firing pushes the tenant's active items (delta, one run per owner and target app).
 */
@Controller("/api/sync-list/schedule")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "sync-list")
@TenantApi
@Secured(Role.ADMIN)
class SyncListScheduleController {

    static final String DEFAULT_TIMEZONE = "UTC";

    private final SyncListSchedules schedules;
    private final JsonBodies bodies;

    SyncListScheduleController(SyncListSchedules schedules, JsonBodies bodies) {
        this.schedules = schedules;
        this.bodies = bodies;
    }

    @Operation(operationId = "getSyncListSchedule", summary = "Get the sync list schedule",
            description = "When the tenant's active sync list items are pushed by themselves; 404 when it has no"
                    + " schedule. Role: `sync:admin`.")
    @ApiResponse(responseCode = "200", description = "The schedule.", headers = @Header(
            name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
            required = true, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    @Get
    SyncListScheduleView get(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller) {
        return schedules.get(caller.tenant()).map(SyncListScheduleView::of)
                .orElseThrow(() -> ApiProblem.notFound("The tenant has no sync list schedule"));
    }

    @Operation(operationId = "putSyncListSchedule", summary = "Set the sync list schedule",
            description = "Replaces the tenant's schedule: a standard 5-field cron (e.g. `0 */6 * * *`) read in an"
                    + " IANA time zone, DST-correct, as an app's schedule. Each firing queues the tenant's active"
                    + " items as delta push runs (trigger `schedule`), one per owner and target app. A cron or zone"
                    + " that is not one: 400 naming it. Role: `sync:admin`.")
    @ApiResponse(responseCode = "200", description = "The schedule as stored.", headers = @Header(
            name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
            required = true, schema = @Schema(type = "string")))
    @ProblemResponses.JsonBody
    @Put
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SyncListScheduleRequest.class)))
    SyncListScheduleView put(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller,
                             @Nullable @Body byte[] body) {
        SyncListScheduleRequest request = bodies.read(body, SyncListScheduleRequest.class);
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(request.cron(),
                    request.timezone() == null ? DEFAULT_TIMEZONE : request.timezone());
        } catch (CronSchedule.InvalidSchedule e) {
            throw ApiProblem.invalidField(e.field(), e.getMessage());
        }
        return SyncListScheduleView.of(schedules.put(caller.tenant(), schedule,
                request.enabled() == null || request.enabled()));
    }

    @Operation(operationId = "deleteSyncListSchedule", summary = "Delete the sync list schedule",
            description = "The tenant's items are no longer pushed by themselves; 404 when it had no schedule."
                    + " Role: `sync:admin`.")
    @ApiResponse(responseCode = "204", description = "Deleted.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    // No body on success, a problem otherwise: a client that accepts only problems is answered too.
    @Delete(produces = {MediaType.APPLICATION_JSON, ProblemDetails.MEDIA_TYPE})
    HttpResponse<Void> delete(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller) {
        if (!schedules.delete(caller.tenant())) {
            throw ApiProblem.notFound("The tenant has no sync list schedule");
        }
        return HttpResponse.noContent();
    }
}
