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

    /** The run's status in {@code sync_runs} once this outcome is final. */
    String status();

    /** The sanitized error or problem to show, or null. */
    String error();

    record Completed(RunCounts counts, String preview) implements SyncOutcome {
        @Override
        public String status() {
            return "completed";
        }

        @Override
        public String error() {
            return null;
        }
    }

    record CompletedWithErrors(RunCounts counts, String message, String preview) implements SyncOutcome {
        @Override
        public String status() {
            return "completed_with_errors";
        }

        @Override
        public String error() {
            return message;
        }
    }

    /** Until the scheduler retries runs, a retriable failure ends the run as failed, with its reason. */
    record RetryLater(RunCounts counts, String error, Duration after) implements SyncOutcome {
        @Override
        public String preview() {
            return null;
        }

        @Override
        public String status() {
            return "failed";
        }
    }

    record Failed(RunCounts counts, String error) implements SyncOutcome {
        @Override
        public String preview() {
            return null;
        }

        @Override
        public String status() {
            return "failed";
        }
    }
}
