package dev.tributary.scheduler.run;

import dev.tributary.db.run.SyncRun;
import dev.tributary.db.run.SyncRunRepository;
import dev.tributary.scheduler.engine.RunCounts;
import dev.tributary.scheduler.engine.SyncOutcome;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The one place that writes {@code sync_runs}: a row when an execution starts, and
 * its end — status, counts, duration, sanitized error, dry-run preview — from the
 * engine's {@link SyncOutcome}. Every execution has exactly one row.
 */
@Singleton
public class SyncRuns {

    private final SyncRunRepository runs;
    private final TenantScope scope;
    private final JsonMapper json;
    private final Clock clock;

    public SyncRuns(SyncRunRepository runs, TenantScope scope, JsonMapper json, Clock clock) {
        this.runs = runs;
        this.scope = scope;
        this.json = json;
        this.clock = clock;
    }

    /** Records a run starting now on {@code nodeId}; returns its id. */
    public SyncRun begin(SyncRequest request, String trigger, int maxAttempts, String nodeId) {
        Instant now = clock.instant();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("collection", request.collection());
        body.put("mode", mode(request));
        body.put("dry_run", request.dryRun());
        body.put("force_deletions", request.forceDeletions());
        var run = new SyncRun(UUID.randomUUID(), request.tenant().value(), request.appKey(), request.collection(),
                mode(request), trigger, request.dryRun(), "running", 1, maxAttempts, null, write(body), now, now,
                null, null, 0, 0, 0, 0, 0, 0, 0, null, nodeId, null, null);
        return scope.write(request.tenant(), () -> runs.save(run));
    }

    public void finish(SyncRequest request, SyncRun run, SyncOutcome outcome) {
        Instant now = clock.instant();
        RunCounts counts = outcome.counts();
        scope.write(request.tenant(), () -> {
            runs.finish(run.tenantId(), run.id(), outcome.status(), now, Duration.between(run.startedAt(), now).toMillis(),
                    counts.total(), counts.created(), counts.updated(), counts.unchanged(), counts.deleted(),
                    counts.archived(), counts.errors(), outcome.error(), outcome.preview());
            return null;
        });
    }

    private static String mode(SyncRequest request) {
        return request.mode().name().toLowerCase(Locale.ROOT);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
