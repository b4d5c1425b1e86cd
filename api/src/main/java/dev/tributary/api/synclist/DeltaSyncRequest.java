package dev.tributary.api.synclist;

import dev.tributary.api.docs.TenantApi;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.request.UuidText;
import dev.tributary.scheduler.synclist.SyncLists;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The body of {@code POST /api/sync-list/delta-sync}: which of the caller's active items to push ({@code {}}: all
 * of them).
 */
@Schema(name = "DeltaSync", description = "Which of the caller's active items to push (each member narrows;"
        + " `{}`: all of them, when they go to one target app).")
@Serdeable
record DeltaSyncRequest(
        @Nullable @ArraySchema(minItems = 1, maxItems = SyncLists.MOST_IDS, schema = @Schema(format = "uuid"),
                arraySchema = @Schema(nullable = false, description = "only these items (each must be the"
                        + " caller's; inactive ones are left out)")) List<String> syncListIds,
        @Nullable @Schema(nullable = false, pattern = TenantApi.KEY_PATTERN, description = "only items of this"
                + " source collection") String collection,
        @Nullable @Schema(nullable = false, pattern = TenantApi.KEY_PATTERN, description = "only items going to"
                + " this app; required when the others select items of several") String targetAppKey,
        @Nullable @Schema(nullable = false, minLength = 1, maxLength = 255, description = "the same as the"
                + " `Idempotency-Key` header (both, different: 400)") String idempotencyKey) {

    /** The ids named, or null when none are; one that is no UUID is a 400 naming its place. */
    @Nullable
    List<UUID> ids() {
        if (syncListIds == null) {
            return null;
        }
        List<UUID> ids = new ArrayList<>(syncListIds.size());
        for (int i = 0; i < syncListIds.size(); i++) {
            String field = "sync_list_ids[" + i + "]";
            ids.add(UuidText.parse(syncListIds.get(i)).orElseThrow(() -> ApiProblem.invalidField(field,
                    "must be a UUID")));
        }
        return ids;
    }
}
