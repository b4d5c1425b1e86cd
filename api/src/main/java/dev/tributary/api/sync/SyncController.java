package dev.tributary.api.sync;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.docs.ProblemResponses;
import dev.tributary.api.docs.TenantApi;
import dev.tributary.tenancy.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Triggers: {@code POST /api/sync} queues a run and answers 202 at once, pointing at its
 * status; with an idempotency key, a repeat gets the first answer again.
 */
@Controller("/api/sync")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "sync")
@TenantApi
class SyncController {

    private final IdempotentTriggers triggers;

    SyncController(IdempotentTriggers triggers) {
        this.triggers = triggers;
    }

    @Operation(operationId = "triggerSync", summary = "Trigger a sync",
            description = "Queues a run and answers at once; a worker runs it (`getSyncRun` shows its progress)."
                    + " With an idempotency key (the `Idempotency-Key` header or `idempotency_key`; both, different:"
                    + " 400) the same key and body answer the first answer again, with `Idempotent-Replayed: true`;"
                    + " the same key with another body: 422 `idempotency_key_reused`; while the first is still being"
                    + " answered: 409 `idempotency_key_in_use`. Unknown app: 404; unknown collection: 400; an app"
                    + " whose configuration is broken: 409 `app_config_invalid`. Nothing is queued when refused."
                    + " Rate-limited per credential. Role: `sync:write`.")
    @ApiResponse(responseCode = "202", description = "Queued (or, with `Idempotent-Replayed: true`, queued earlier).",
            content = @Content(schema = @Schema(implementation = QueuedRunView.class)), headers = {
            @io.swagger.v3.oas.annotations.headers.Header(name = ProblemResponses.LOCATION, description = "`/api/sync/status/{sync_id}`: the run's progress",
                    required = true, schema = @Schema(type = "string")),
            @io.swagger.v3.oas.annotations.headers.Header(name = IdempotentTriggers.REPLAYED, description = "`true` when this answer is the replay of an earlier one",
                    schema = @Schema(type = "string", allowableValues = "true")),
            @io.swagger.v3.oas.annotations.headers.Header(name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
                    required = true, schema = @Schema(type = "string"))})
    @ProblemResponses.JsonBody
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    @ProblemResponses.Unprocessable
    @Post
    @Secured(Role.WRITE)
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SyncTriggerRequest.class)))
    HttpResponse<QueuedRunView> trigger(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller,
                                        @Nullable @Body byte[] body,
                                        @Parameter(description = "1 to 255 visible ASCII characters, kept per tenant for"
                                                + " 24 h (or `idempotency_key` in the body)", schema = @Schema(
                                                type = "string", minLength = 1, maxLength = 255))
                                        @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        IdempotentTriggers.Answer<QueuedRunView> answer = triggers.trigger(caller.tenant(), body, idempotencyKey);
        return answer.response(answer.run().syncId());
    }
}
