-- intercom: one readable view per collection over tributary.entities, e.g.
--   SELECT id, email, name, updated_at FROM intercom.contacts WHERE app_key = 'support';
-- Archived contacts are kept, with archived_at set: add WHERE archived_at IS NULL for
-- the live ones. security_invoker makes each view apply the caller's row-level
-- security, so a tenant sees its own rows only. Intercom's times are epoch seconds.
CREATE SCHEMA IF NOT EXISTS intercom;
GRANT USAGE ON SCHEMA intercom TO tributary_app;

CREATE OR REPLACE VIEW intercom.contacts WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.external_id AS id,
       e.raw_payload->>'role' AS role,
       e.raw_payload->>'external_id' AS user_id,
       e.raw_payload->>'email' AS email,
       e.raw_payload->>'name' AS name,
       e.raw_payload->>'phone' AS phone,
       e.raw_payload->'custom_attributes' AS custom_attributes,
       e.source_created_at AS created_at,
       e.source_updated_at AS updated_at,
       e.archived_at,
       e.raw_payload
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'intercom' AND e.collection_key = 'intercom_contact';
GRANT SELECT ON intercom.contacts TO tributary_app;

CREATE OR REPLACE VIEW intercom.companies WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.external_id AS id,
       e.raw_payload->>'company_id' AS company_id,
       e.raw_payload->>'name' AS name,
       e.raw_payload->>'plan' AS plan,
       (e.raw_payload->>'user_count')::bigint AS user_count,
       (e.raw_payload->>'monthly_spend')::numeric AS monthly_spend,
       e.raw_payload->'custom_attributes' AS custom_attributes,
       e.source_created_at AS created_at,
       e.source_updated_at AS updated_at,
       e.archived_at,
       e.raw_payload
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'intercom' AND e.collection_key = 'intercom_company';
GRANT SELECT ON intercom.companies TO tributary_app;

CREATE OR REPLACE VIEW intercom.conversations WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.external_id AS id,
       e.raw_payload->>'title' AS title,
       e.raw_payload->>'state' AS state,
       (e.raw_payload->>'open')::boolean AS open,
       e.raw_payload->>'admin_assignee_id' AS admin_assignee_id,
       e.raw_payload->'source'->'author'->>'id' AS author_id,
       e.source_created_at AS created_at,
       e.source_updated_at AS updated_at,
       e.archived_at,
       e.raw_payload
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'intercom' AND e.collection_key = 'intercom_conversation';
GRANT SELECT ON intercom.conversations TO tributary_app;

CREATE OR REPLACE VIEW intercom.admins WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.external_id AS id,
       e.raw_payload->>'name' AS name,
       e.raw_payload->>'email' AS email,
       e.raw_payload->>'job_title' AS job_title,
       (e.raw_payload->>'away_mode_enabled')::boolean AS away_mode_enabled,
       e.raw_payload
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'intercom' AND e.collection_key = 'intercom_admin';
GRANT SELECT ON intercom.admins TO tributary_app;

CREATE OR REPLACE VIEW intercom.tags WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.external_id AS id,
       e.raw_payload->>'name' AS name,
       e.raw_payload
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'intercom' AND e.collection_key = 'intercom_tag';
GRANT SELECT ON intercom.tags TO tributary_app;
