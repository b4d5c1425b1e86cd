package dev.tributary.scheduler.engine;

import java.time.Duration;

/**
 * How a run ended; one place (the run recorder) turns it into the run's row.
 * {@code RetryLater} is for failures worth another attempt (5xx, timeouts, rate
 * limits beyond patience); {@code Failed} for those that are not (4xx, bad config).
 */
public sealed interface SyncOutcome {

    RunCounts counts();

    /** Would-be changes of a dry run (JSON), or null. */
    String preview();

    record Completed(RunCounts counts, String preview) implements SyncOutcome {
    }

    record CompletedWithErrors(RunCounts counts, String message, String preview) implements SyncOutcome {
    }

    record RetryLater(RunCounts counts, String error, Duration after) implements SyncOutcome {
        @Override
        public String preview() {
            return null;
        }
    }

    record Failed(RunCounts counts, String error) implements SyncOutcome {
        @Override
        public String preview() {
            return null;
        }
    }
}
