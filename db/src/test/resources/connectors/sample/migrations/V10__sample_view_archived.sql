CREATE OR REPLACE VIEW tributary.sample_entities WITH (security_invoker = true) AS SELECT tenant_id, external_id, archived_at FROM tributary.entities WHERE app_key LIKE 'sample%';
