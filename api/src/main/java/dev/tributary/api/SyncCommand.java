package dev.tributary.api;

import dev.tributary.db.run.RunCounts;
import dev.tributary.db.run.RunMode;
import dev.tributary.scheduler.engine.SyncOutcome;
import dev.tributary.scheduler.engine.SyncRequest;
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
 * for operators and benchmarks, with its progress on stderr (a bar on a terminal, a line
 * per batch otherwise, see {@link ProgressDisplay}) and the
 * run's outcome on stdout. Exit code 0 when the run completed, 1 otherwise.
 */
final class SyncCommand {

    private static final String USAGE = "usage: java -jar tributary.jar sync --tenant <id> --app <app_key>"
            + " [--mode full|incremental] [--collection <key>] [--dry-run] [--force-deletions]";

    private SyncCommand() {
    }

    static int run(String[] args, Map<String, Object> databaseProperties, PrintStream out, PrintStream err,
                   boolean terminal) {
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
            var display = new ProgressDisplay(err, terminal);
            var finished = new ForegroundSync(context).run(request, (collection, soFar) ->
                    display.show(collection, soFar.total(), 0, counts(soFar)));
            display.finish();
            if (finished.isEmpty()) {
                err.println("tributary: No app " + app);
                return 1;
            }
            var run = finished.get();
            SyncOutcome outcome = run.outcome();
            out.println("sync " + run.syncId() + " " + outcome.status().value() + " " + progress("all", outcome.counts())
                    + (outcome.error() == null ? "" : " error=\"" + outcome.error() + "\""));
            return outcome instanceof SyncOutcome.Completed ? 0 : 1;
        } catch (RuntimeException e) {
            err.println("tributary: cannot sync: " + StartupFailure.describe(e));
            return 1;
        }
    }

    private static String progress(String collection, RunCounts counts) {
        return collection + ": total=" + counts.total() + " " + counts(counts);
    }

    private static String counts(RunCounts counts) {
        return "new=" + counts.created() + " updated=" + counts.updated()
                + " unchanged=" + counts.unchanged() + " deleted=" + counts.deleted() + " archived="
                + counts.archived() + " errors=" + counts.errors();
    }

    private static String option(List<String> words, String name) {
        int at = words.indexOf(name);
        return at >= 0 && at + 1 < words.size() ? words.get(at + 1) : null;
    }
}
