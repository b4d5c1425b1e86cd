package dev.tributary.api.sync;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.tenancy.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;

/**
 * Triggers: {@code POST /api/sync} queues a run and answers 202 at once, pointing at its
 * status; with an idempotency key, a repeat gets the first answer again.
 */
@Controller("/api/sync")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "sync")
class SyncController {

    static final String REPLAYED = "Idempotent-Replayed";

    private final IdempotentTriggers triggers;

    SyncController(IdempotentTriggers triggers) {
        this.triggers = triggers;
    }

    @Post
    @Secured(Role.WRITE)
    @RequestBody(content = @Content(schema = @Schema(implementation = SyncTriggerRequest.class)))
    @ApiResponse(responseCode = "202", description = "queued (or, with Idempotent-Replayed: true, queued earlier)",
            content = @Content(schema = @Schema(implementation = QueuedRunView.class)))
    HttpResponse<QueuedRunView> trigger(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller,
                                        @Nullable @Body byte[] body,
                                        @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        IdempotentTriggers.Answer answer = triggers.trigger(caller.tenant(), body, idempotencyKey);
        var response = HttpResponse.<QueuedRunView>status(HttpStatus.valueOf(answer.status())).body(answer.run())
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .headers(h -> h.location(URI.create("/api/sync/status/" + answer.run().syncId())));
        return answer.replayed() ? response.header(REPLAYED, "true") : response;
    }
}
