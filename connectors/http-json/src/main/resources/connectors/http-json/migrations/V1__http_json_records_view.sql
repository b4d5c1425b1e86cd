-- http-json: every http-json app's records in one readable view. security_invoker
-- makes the view apply the caller's row-level security, so a tenant sees its own rows only.
CREATE OR REPLACE VIEW tributary.http_json_records WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.collection_key,
       e.external_id,
       e.raw_payload,
       e.archived_at IS NOT NULL AS archived,
       e.archived_at,
       e.source_updated_at,
       e.updated_at
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'http-json';

GRANT SELECT ON tributary.http_json_records TO tributary_app;
