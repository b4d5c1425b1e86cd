-- Row-level security: the second wall behind the tenant filter every query
-- carries. Each tenant-owned table admits only rows of the tenant named by the
-- transaction's setting tributary.tenant_id (SET LOCAL). With the setting absent
-- or empty no row is visible and none can be written. Table owners bypass these
-- policies, so the service must connect with a role that does not own them.

CREATE FUNCTION current_tenant_id() RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT nullif(current_setting('tributary.tenant_id', true), '') $$;

DO $$
DECLARE
    tenant_table text;
BEGIN
    FOREACH tenant_table IN ARRAY ARRAY['api_keys', 'apps', 'entities', 'sync_state', 'sync_runs', 'sync_records',
                                        'sync_locks', 'idempotency_keys', 'webhook_events', 'data_quality_snapshots']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = current_tenant_id()) '
                       'WITH CHECK (tenant_id = current_tenant_id())', tenant_table);
    END LOOP;
END
$$;
