package dev.tributary.scheduler.engine;

import dev.tributary.db.run.AttemptStatus;
import dev.tributary.db.run.DryRunPreview;
import dev.tributary.db.run.RunCounts;

import java.time.Duration;

/**
 * How a run ended; one place (the run recorder) turns it into the run's row.
 * {@code RetryLater} is for failures worth another attempt (5xx, timeouts, rate
 * limits beyond patience); {@code Failed} for those that are not (4xx, bad config).
 */
public sealed interface SyncOutcome {

    RunCounts counts();

    /** Would-be changes of a dry run, or null. */
    DryRunPreview preview();

    /** How this attempt ended (a retriable failure is one attempt failing). */
    AttemptStatus status();

    /** The sanitized error or problem to show, or null. */
    String error();

    record Completed(RunCounts counts, DryRunPreview preview) implements SyncOutcome {
        @Override
        public AttemptStatus status() {
            return AttemptStatus.COMPLETED;
        }

        @Override
        public String error() {
            return null;
        }
    }

    /** Some records failed, or the deletion guard stopped a full sync's deletions ({@code deletionGuardStopped}). */
    record CompletedWithErrors(RunCounts counts, String message, DryRunPreview preview, boolean deletionGuardStopped)
            implements SyncOutcome {
        @Override
        public AttemptStatus status() {
            return AttemptStatus.COMPLETED_WITH_ERRORS;
        }

        @Override
        public String error() {
            return message;
        }
    }

    /**
     * A retriable failure: this attempt failed; the run recorder schedules the next one (no sooner than
     * {@code after}, when the source said so) or, after the last, dead-letters the run.
     */
    record RetryLater(RunCounts counts, String error, Duration after) implements SyncOutcome {
        @Override
        public DryRunPreview preview() {
            return null;
        }

        @Override
        public AttemptStatus status() {
            return AttemptStatus.FAILED;
        }
    }

    /** Stopped at a batch boundary because someone cancelled the run; what was written stays. */
    record Cancelled(RunCounts counts) implements SyncOutcome {
        @Override
        public DryRunPreview preview() {
            return null;
        }

        @Override
        public AttemptStatus status() {
            return AttemptStatus.CANCELLED;
        }

        @Override
        public String error() {
            return "cancelled while running";
        }
    }

    record Failed(RunCounts counts, String error) implements SyncOutcome {
        @Override
        public DryRunPreview preview() {
            return null;
        }

        @Override
        public AttemptStatus status() {
            return AttemptStatus.FAILED;
        }
    }
}
