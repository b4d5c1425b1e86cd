package dev.tributary.api;

import dev.tributary.db.run.RunTrigger;
import dev.tributary.scheduler.SchedulerConfiguration;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.engine.SyncEngine;
import dev.tributary.scheduler.engine.SyncOutcome;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.scheduler.run.SyncRuns;
import io.micronaut.context.ApplicationContext;

import java.util.Optional;
import java.util.UUID;

/**
 * One sync run in the calling thread, as the {@code sync} and {@code demo} commands run them: a run row
 * begun as a manual trigger on this node, the engine reporting each page, the outcome written by
 * {@link SyncRuns} like any worker's.
 */
record ForegroundSync(ApplicationContext context) {

    /** What the run became: its id and the engine's outcome. */
    record Finished(UUID syncId, SyncOutcome outcome) {
    }

    /** Runs {@code request} to its end; empty when the tenant has no such app. */
    Optional<Finished> run(SyncRequest request, SyncEngine.Progress progress) {
        var loaded = context.getBean(Apps.class).load(request.tenant(), request.appKey());
        if (loaded.isEmpty()) {
            return Optional.empty();
        }
        var runs = context.getBean(SyncRuns.class);
        var run = runs.begin(request, RunTrigger.MANUAL, 1,
                context.getBean(SchedulerConfiguration.class).effectiveNodeId());
        SyncOutcome outcome = context.getBean(SyncEngine.class).run(run.id(), request, loaded.get().connector(),
                loaded.get().context(), progress);
        runs.finish(request, run, outcome);
        return Optional.of(new Finished(run.id(), outcome));
    }
}
