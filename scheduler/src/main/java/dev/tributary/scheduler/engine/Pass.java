package dev.tributary.scheduler.engine;

import java.time.Instant;
import java.util.List;

/**
 * The kind of pass one collection's sync makes, chosen once before its first page: what
 * it reads, how each page is written and what the end of the pass does all follow from it.
 */
sealed interface Pass {

    /** Where reading resumes; from the beginning unless the pass says otherwise (targeted passes never resume). */
    default Resume resume() {
        return Resume.NONE;
    }

    /** The changes since when are read; null (unless the pass says otherwise): everything. */
    default Instant since() {
        return null;
    }

    /**
     * Where an interrupted pass of the same kind got to ({@code cursor}; null: from the start), and
     * whether before that it met records that failed without an id (then it may not delete either).
     */
    record Resume(String cursor, boolean afterUnidentifiedFailures) {
        static final Resume NONE = new Resume(null, false);
    }

    /** A full pass on a collection that held nothing when it began: plain inserts, no seen-set, nothing to delete. */
    record FirstLoad(Resume resume) implements Pass {
    }

    /**
     * A full pass over a collection that holds rows: it records the ids it sees, then deletes the rows
     * it did not see (inside {@code sync_from}, behind the deletion guard).
     */
    record FullResync(Resume resume) implements Pass {
    }

    /** The changes since {@code since}, when the last successful sync began. */
    record Incremental(Instant since, Resume resume) implements Pass {
    }

    /** Re-fetches or narrows, for the records it names: never deletes, keeps no cursor, leaves the state as it is. */
    sealed interface Targeted extends Pass {
    }

    /** Reads everything ({@code since} null) or the changes since, and applies only what the request's filters admit. */
    record Filtered(Instant since) implements Targeted {
    }

    /** Fetches the named records one by one. */
    record ByIds(List<String> ids) implements Targeted {
    }

    /** What {@code pass} would do, classified against the stored rows; writes nothing but the run's own row. */
    record DryRun(Pass pass) implements Pass {
        @Override
        public Resume resume() {
            return pass.resume();
        }

        @Override
        public Instant since() {
            return pass.since();
        }
    }
}
