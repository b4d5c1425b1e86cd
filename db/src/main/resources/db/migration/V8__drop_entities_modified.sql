-- entities_modified (tenant, app, collection, updated_at, external_id) served only a
-- records API that does not exist yet, and maintaining it cost about a quarter of a
-- bulk load. It also misled the planner right after a load (stale statistics): batch
-- lookups by external id scanned the whole collection's range of it instead of the
-- primary key. The records API brings the index it needs.
DROP INDEX entities_modified;
