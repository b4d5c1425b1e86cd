-- The seen-set must outlive a database crash: a full pass resumed after one continues
-- from its cursor (sync_state, logged), and an unlogged sync_seen comes back empty after
-- crash recovery, so the resumed pass would delete every record the first attempt saw.
-- One row per written page makes the WAL it costs small.
ALTER TABLE sync_seen SET LOGGED;
