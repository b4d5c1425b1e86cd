-- A running run is cancelled by asking: the worker sees the request at its next batch
-- boundary and ends the run 'cancelled'. Each execution of a run (the first, and every
-- retry) is kept in attempts: {attempt, node_id, started_at, completed_at, status, error}.
ALTER TABLE sync_runs
    ADD COLUMN cancel_requested_at timestamptz,
    ADD COLUMN attempts jsonb NOT NULL DEFAULT '[]';
