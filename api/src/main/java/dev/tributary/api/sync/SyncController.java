package dev.tributary.api.sync;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.auth.RequiresRole;
import dev.tributary.api.problem.JsonBodies;
import dev.tributary.db.run.SyncRun;
import dev.tributary.tenancy.Role;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;

/** Triggers: {@code POST /api/sync} queues a run and answers 202 at once, pointing at its status. */
@Controller("/api/sync")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "sync")
class SyncController {

    private final SyncTriggers triggers;
    private final JsonBodies bodies;

    SyncController(SyncTriggers triggers, JsonBodies bodies) {
        this.triggers = triggers;
        this.bodies = bodies;
    }

    @Post
    @RequiresRole(Role.SYNC_WRITE)
    @RequestBody(content = @Content(schema = @Schema(implementation = SyncTriggerRequest.class)))
    HttpResponse<QueuedRunView> trigger(CallerTenant caller, @Body String body) {
        SyncRun run = triggers.trigger(caller.tenant(), bodies.read(body, SyncTriggerRequest.class), null);
        return HttpResponse.<QueuedRunView>status(HttpStatus.ACCEPTED).body(QueuedRunView.of(run))
                .headers(h -> h.location(URI.create("/api/sync/status/" + run.id())));
    }
}
