package dev.tributary.api.synclist;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.docs.ProblemResponses;
import dev.tributary.api.docs.TenantApi;
import dev.tributary.api.sync.IdempotentTriggers;
import dev.tributary.db.run.SyncRun;
import dev.tributary.scheduler.synclist.SyncLists;
import dev.tributary.tenancy.Ownership;
import dev.tributary.tenancy.Role;
import dev.tributary.tenancy.TenantId;
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
 * {@code POST /api/sync-list/delta-sync} (seed 004's delta-sync): queues a push of the caller's active items in
 * delta mode and answers 202 at once, pointing at the run's status; with an idempotency key, a repeat by the same
 * caller gets the first answer again ({@link IdempotentTriggers}, as {@code POST /api/sync}).
 */
@Controller("/api/sync-list/delta-sync")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "sync-list")
@TenantApi
class DeltaSyncController {

    private final IdempotentTriggers triggers;
    private final SyncLists lists;

    DeltaSyncController(IdempotentTriggers triggers, SyncLists lists) {
        this.triggers = triggers;
        this.lists = lists;
    }

    @Operation(operationId = "deltaSync", summary = "Push the sync list's changes",
            description = "Queues one push run (mode `delta`, trigger `manual`) of the caller's active items that"
                    + " the body selects, and answers at once (`getSyncRun` shows its progress): a delta item is"
                    + " pushed when its body changed since its last push or was never pushed, a full item always."
                    + " Named `sync_list_ids` that are not the caller's: 404 naming them; inactive ones are left out."
                    + " Items going to several target apps without `target_app_key`: 400 naming `target_app_key`"
                    + " and listing them; nothing active selected: 409 `no_active_items`. With an idempotency key"
                    + " (the `Idempotency-Key` header or `idempotency_key`; both, different: 400) the same key and"
                    + " body from the same caller answer the first answer again, with `Idempotent-Replayed: true`;"
                    + " another body: 422 `idempotency_key_reused`; while the first is still being answered: 409"
                    + " `idempotency_key_in_use`. Nothing is queued when refused. Rate-limited per credential, as"
                    + " triggers are. Role: `sync:write`.")
    @ApiResponse(responseCode = "202", description = "Queued (or, with `Idempotent-Replayed: true`, queued earlier).",
            content = @Content(schema = @Schema(implementation = QueuedPushView.class)), headers = {
            @io.swagger.v3.oas.annotations.headers.Header(name = ProblemResponses.LOCATION,
                    description = "`/api/sync/status/{sync_id}`: the run's progress", required = true,
                    schema = @Schema(type = "string")),
            @io.swagger.v3.oas.annotations.headers.Header(name = IdempotentTriggers.REPLAYED,
                    description = "`true` when this answer is the replay of an earlier one",
                    schema = @Schema(type = "string", allowableValues = "true")),
            @io.swagger.v3.oas.annotations.headers.Header(name = ProblemResponses.REQUEST_ID,
                    description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true,
                    schema = @Schema(type = "string"))})
    @ProblemResponses.JsonBody
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    @ProblemResponses.Unprocessable
    @Post
    @Secured(Role.WRITE)
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = DeltaSyncRequest.class)))
    HttpResponse<QueuedPushView> deltaSync(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller,
                                           @Nullable @Body byte[] body,
                                           @Parameter(description = "1 to 255 visible ASCII characters, kept per"
                                                   + " tenant for 24 h (or `idempotency_key` in the body)",
                                                   schema = @Schema(type = "string", minLength = 1, maxLength = 255))
                                           @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        String owner = caller.principal().id();
        IdempotentTriggers.Answer<QueuedPushView> answer = triggers.trigger(caller.tenant(), body, idempotencyKey,
                owner, new Push(caller.tenant(), Ownership.of(caller.principal()), owner));
        return answer.response(answer.run().syncId());
    }

    /** The delta sync as a trigger of {@link IdempotentTriggers}: the caller's push, queued for them. */
    private final class Push implements IdempotentTriggers.Trigger<DeltaSyncRequest, QueuedPushView> {
        private final TenantId tenant;
        private final Ownership ownership;
        private final String owner;

        Push(TenantId tenant, Ownership ownership, String owner) {
            this.tenant = tenant;
            this.ownership = ownership;
            this.owner = owner;
        }

        @Override
        public Class<DeltaSyncRequest> bodyType() {
            return DeltaSyncRequest.class;
        }

        @Override
        public Class<QueuedPushView> viewType() {
            return QueuedPushView.class;
        }

        @Override
        public String keyOf(DeltaSyncRequest body) {
            return body.idempotencyKey();
        }

        @Override
        public SyncRun queue(DeltaSyncRequest body, String key) {
            return lists.deltaSync(tenant, ownership, owner, body.ids(), body.collection(), body.targetAppKey(), key);
        }

        @Override
        public QueuedPushView view(SyncRun run) {
            return QueuedPushView.of(run);
        }
    }
}
