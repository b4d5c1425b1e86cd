-- Idempotency keys live 24 hours (configurable). Purging the expired ones crosses
-- tenants, which row-level security would hide: this function, running as the
-- tables' owner, is the one way to do it, and it does nothing else.
CREATE FUNCTION purge_expired_idempotency_keys()
    RETURNS bigint
    LANGUAGE sql
    SECURITY DEFINER
    SET search_path = tributary, pg_temp
AS $$
    WITH gone AS (DELETE FROM idempotency_keys WHERE expires_at < now() RETURNING 1)
    SELECT count(*) FROM gone
$$;
REVOKE ALL ON FUNCTION purge_expired_idempotency_keys() FROM PUBLIC;
