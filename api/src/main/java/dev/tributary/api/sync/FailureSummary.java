package dev.tributary.api.sync;

import dev.tributary.db.run.SyncRecords;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** The records a run failed on: how many, per collection, and the first few (retry them by id). */
@Serdeable
record FailureSummary(long total, Map<String, Long> byCollection, List<First> first) {

    static FailureSummary of(SyncRecords.Summary summary) {
        return new FailureSummary(summary.total(), summary.byCollection(),
                summary.first().stream().map(First::of).toList());
    }

    /** One of the first failures: enough to retry it by id ({@code POST /api/sync/failures/{id}/retry}). */
    @Schema(name = "FailureSummaryRecord")
    @Serdeable
    record First(long id, String collection, String externalId, String operation, @Nullable String error,
                 int retryCount) {
        static First of(SyncRecords.Failure failure) {
            return new First(failure.id(), failure.collectionKey(), failure.externalId(), failure.operation(),
                    failure.error(), failure.retryCount());
        }
    }
}
