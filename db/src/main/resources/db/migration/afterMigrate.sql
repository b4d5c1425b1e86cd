-- Runs after every Flyway migrate (also when nothing was pending): keeps the
-- service role's grants complete and idempotent, and lets the configured runtime
-- login (placeholder runtimeuser = DATASOURCES_DEFAULT_USERNAME) take that role.
-- Nodes starting together run this at the same time, and concurrent GRANTs on the same
-- objects fail with "tuple concurrently updated": one at a time (released at commit).
SELECT pg_advisory_xact_lock(hashtext('tributary.afterMigrate'));
GRANT USAGE ON SCHEMA tributary TO tributary_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tributary TO tributary_app;
REVOKE INSERT, UPDATE, DELETE ON tributary.flyway_schema_history FROM tributary_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA tributary TO tributary_app;
GRANT EXECUTE ON FUNCTION tributary.current_tenant_id() TO tributary_app;
GRANT EXECUTE ON FUNCTION tributary.current_owner_id() TO tributary_app;
GRANT EXECUTE ON FUNCTION tributary.authenticate_api_key(bytea) TO tributary_app;
GRANT EXECUTE ON FUNCTION tributary.purge_expired_idempotency_keys() TO tributary_app;
DO $$
BEGIN
    IF NOT pg_has_role('${runtimeuser}', 'tributary_app', 'MEMBER') THEN
        EXECUTE format('GRANT tributary_app TO %I', '${runtimeuser}');
    END IF;
END
$$;
