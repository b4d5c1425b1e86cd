package dev.tributary.api;

import dev.tributary.db.run.RunCounts;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.scheduler.SchedulerConfiguration;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.engine.SyncEngine;
import dev.tributary.scheduler.engine.SyncOutcome;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.scheduler.run.SyncRuns;
import dev.tributary.tenancy.TenantId;
import io.micronaut.context.ApplicationContext;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar tributary.jar sync --tenant T --app A [--mode full|incremental]
 * [--collection C] [--dry-run] [--force-deletions]}: runs one sync in this process,
 * for operators and benchmarks, with a progress line per batch on stderr and the
 * run's outcome on stdout. Exit code 0 when the run completed, 1 otherwise.
 */
final class SyncCommand {

    private static final String USAGE = "usage: java -jar tributary.jar sync --tenant <id> --app <app_key>"
            + " [--mode full|incremental] [--collection <key>] [--dry-run] [--force-deletions]";

    private SyncCommand() {
    }

    static int run(String[] args, Map<String, Object> databaseProperties, PrintStream out, PrintStream err) {
        List<String> words = Arrays.asList(args);
        String tenant = option(words, "--tenant");
        String app = option(words, "--app");
        String mode = option(words, "--mode");
        if (tenant == null || app == null || (mode != null && RunMode.pull(mode).isEmpty())
                || !TenantId.isValid(tenant)) {
            err.println(USAGE);
            return 2;
        }
        Map<String, Object> properties = new HashMap<>(databaseProperties);
        // A one-off run: no HTTP server, and this process takes no jobs from the cluster.
        properties.put("tributary.scheduler.worker", "false");
        try (ApplicationContext context = ApplicationContext.builder().properties(properties).start()) {
            var request = new SyncRequest(new TenantId(tenant), app, option(words, "--collection"),
                    mode == null ? RunMode.FULL : RunMode.pull(mode).orElseThrow(),
                    words.contains("--dry-run"), words.contains("--force-deletions"));
            var loaded = context.getBean(Apps.class).load(request.tenant(), app);
            if (loaded.isEmpty()) {
                err.println("tributary: No app " + app);
                return 1;
            }
            var runs = context.getBean(SyncRuns.class);
            var run = runs.begin(request, RunTrigger.MANUAL, 1,
                    context.getBean(SchedulerConfiguration.class).effectiveNodeId());
            SyncOutcome outcome = context.getBean(SyncEngine.class).run(run.id(), request, loaded.get().connector(),
                    loaded.get().context(), (collection, soFar) -> err.println(progress(collection, soFar)));
            runs.finish(request, run, outcome);
            out.println("sync " + run.id() + " " + outcome.status().value() + " " + progress("all", outcome.counts())
                    + (outcome.error() == null ? "" : " error=\"" + outcome.error() + "\""));
            return outcome instanceof SyncOutcome.Completed ? 0 : 1;
        } catch (RuntimeException e) {
            err.println("tributary: cannot sync: " + StartupFailure.describe(e));
            return 1;
        }
    }

    private static String progress(String collection, RunCounts counts) {
        return collection + ": total=" + counts.total() + " new=" + counts.created() + " updated=" + counts.updated()
                + " unchanged=" + counts.unchanged() + " deleted=" + counts.deleted() + " archived="
                + counts.archived() + " errors=" + counts.errors();
    }

    private static String option(List<String> words, String name) {
        int at = words.indexOf(name);
        return at >= 0 && at + 1 < words.size() ? words.get(at + 1) : null;
    }
}
