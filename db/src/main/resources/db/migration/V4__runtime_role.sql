-- The role the service runs as. Every pooled connection does SET ROLE tributary_app,
-- whatever login it was opened with, so the service never acts as the tables' owner
-- (who would bypass row-level security) nor as a superuser. Grants are refreshed by
-- the afterMigrate callback, so tables added later are covered too.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tributary_app') THEN
        CREATE ROLE tributary_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;

-- Authentication looks an API key up by its hash before the tenant is known, which
-- row-level security would hide. This function, running as the tables' owner, is the
-- one way around it: it returns the key's tenant and roles, and marks it used at most
-- once a minute so hot keys do not turn every request into a write.
CREATE FUNCTION authenticate_api_key(presented_hash bytea)
    RETURNS TABLE (tenant_id text, key_id uuid, roles text[], tenant_disabled boolean)
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = tributary, pg_temp
AS $$
BEGIN
    UPDATE api_keys k SET last_used_at = now()
     WHERE k.key_hash = presented_hash
       AND k.revoked_at IS NULL
       AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute');
    RETURN QUERY
        SELECT k.tenant_id, k.id, k.roles, t.disabled_at IS NOT NULL
          FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
         WHERE k.key_hash = presented_hash AND k.revoked_at IS NULL;
END
$$;
REVOKE ALL ON FUNCTION authenticate_api_key(bytea) FROM PUBLIC;
