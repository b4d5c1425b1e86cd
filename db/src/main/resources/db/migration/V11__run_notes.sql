-- What a run wants its reader to know beyond counts and errors: e.g. that an
-- incremental sync ran as a full one because the provider no longer kept the
-- changes since its last success. A JSON array of strings.
ALTER TABLE sync_runs
    ADD COLUMN notes jsonb NOT NULL DEFAULT '[]';
