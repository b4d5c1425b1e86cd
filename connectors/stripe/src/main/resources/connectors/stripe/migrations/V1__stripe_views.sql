-- stripe: one readable view per collection over tributary.entities, e.g.
--   SELECT id, email, name, created FROM stripe.customers WHERE app_key = 'billing';
-- Archived rows (inactive products and prices, canceled subscriptions and their items)
-- are kept, with archived_at set: add WHERE archived_at IS NULL for the live ones.
-- security_invoker makes each view apply the caller's row-level security, so a tenant
-- sees its own rows only. Amounts are in the currency's smallest unit, as Stripe sends them.
CREATE SCHEMA IF NOT EXISTS stripe;
GRANT USAGE ON SCHEMA stripe TO tributary_app;

CREATE OR REPLACE VIEW stripe.customers WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.external_id AS id,
       e.raw_payload->>'email' AS email,
       e.raw_payload->>'name' AS name,
       e.raw_payload->>'description' AS description,
       e.raw_payload->>'phone' AS phone,
       e.raw_payload->>'currency' AS currency,
       (e.raw_payload->>'balance')::bigint AS balance,
       (e.raw_payload->>'delinquent')::boolean AS delinquent,
       e.raw_payload->'metadata' AS metadata,
       to_timestamp((e.raw_payload->>'created')::double precision) AS created,
       e.archived_at,
       e.raw_payload,
       e.updated_at
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'stripe' AND e.collection_key = 'stripe_customer';
GRANT SELECT ON stripe.customers TO tributary_app;

CREATE OR REPLACE VIEW stripe.products WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.external_id AS id,
       e.raw_payload->>'name' AS name,
       e.raw_payload->>'description' AS description,
       (e.raw_payload->>'active')::boolean AS active,
       e.raw_payload->>'default_price' AS default_price,
       e.raw_payload->'metadata' AS metadata,
       to_timestamp((e.raw_payload->>'created')::double precision) AS created,
       e.archived_at,
       e.raw_payload,
       e.updated_at
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'stripe' AND e.collection_key = 'stripe_product';
GRANT SELECT ON stripe.products TO tributary_app;

CREATE OR REPLACE VIEW stripe.prices WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.external_id AS id,
       e.raw_payload->>'product' AS product,
       (e.raw_payload->>'active')::boolean AS active,
       e.raw_payload->>'currency' AS currency,
       (e.raw_payload->>'unit_amount')::bigint AS unit_amount,
       e.raw_payload->>'type' AS type,
       e.raw_payload->'recurring'->>'interval' AS recurring_interval,
       e.raw_payload->>'nickname' AS nickname,
       to_timestamp((e.raw_payload->>'created')::double precision) AS created,
       e.archived_at,
       e.raw_payload,
       e.updated_at
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'stripe' AND e.collection_key = 'stripe_price';
GRANT SELECT ON stripe.prices TO tributary_app;

CREATE OR REPLACE VIEW stripe.subscriptions WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.external_id AS id,
       e.raw_payload->>'customer' AS customer,
       e.raw_payload->>'status' AS status,
       (e.raw_payload->>'cancel_at_period_end')::boolean AS cancel_at_period_end,
       to_timestamp((e.raw_payload->>'canceled_at')::double precision) AS canceled_at,
       to_timestamp((e.raw_payload->>'ended_at')::double precision) AS ended_at,
       e.raw_payload->'metadata' AS metadata,
       to_timestamp((e.raw_payload->>'created')::double precision) AS created,
       e.archived_at,
       e.raw_payload,
       e.updated_at
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'stripe' AND e.collection_key = 'stripe_subscription';
GRANT SELECT ON stripe.subscriptions TO tributary_app;

CREATE OR REPLACE VIEW stripe.subscription_items WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.external_id AS id,
       e.raw_payload->>'subscription' AS subscription,
       coalesce(e.raw_payload->'price'->>'id', e.raw_payload->>'price') AS price,
       (e.raw_payload->>'quantity')::bigint AS quantity,
       to_timestamp((e.raw_payload->>'created')::double precision) AS created,
       e.archived_at,
       e.raw_payload,
       e.updated_at
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'stripe' AND e.collection_key = 'stripe_subscription_item';
GRANT SELECT ON stripe.subscription_items TO tributary_app;

CREATE OR REPLACE VIEW stripe.invoices WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.external_id AS id,
       e.raw_payload->>'customer' AS customer,
       e.raw_payload->>'subscription' AS subscription,
       e.raw_payload->>'status' AS status,
       e.raw_payload->>'number' AS number,
       e.raw_payload->>'currency' AS currency,
       (e.raw_payload->>'amount_due')::bigint AS amount_due,
       (e.raw_payload->>'amount_paid')::bigint AS amount_paid,
       (e.raw_payload->>'total')::bigint AS total,
       to_timestamp((e.raw_payload->>'created')::double precision) AS created,
       e.archived_at,
       e.raw_payload,
       e.updated_at
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'stripe' AND e.collection_key = 'stripe_invoice';
GRANT SELECT ON stripe.invoices TO tributary_app;

CREATE OR REPLACE VIEW stripe.payment_intents WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.external_id AS id,
       e.raw_payload->>'customer' AS customer,
       e.raw_payload->>'status' AS status,
       e.raw_payload->>'currency' AS currency,
       (e.raw_payload->>'amount')::bigint AS amount,
       (e.raw_payload->>'amount_received')::bigint AS amount_received,
       to_timestamp((e.raw_payload->>'created')::double precision) AS created,
       e.archived_at,
       e.raw_payload,
       e.updated_at
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'stripe' AND e.collection_key = 'stripe_payment_intent';
GRANT SELECT ON stripe.payment_intents TO tributary_app;

CREATE OR REPLACE VIEW stripe.charges WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.external_id AS id,
       e.raw_payload->>'customer' AS customer,
       e.raw_payload->>'payment_intent' AS payment_intent,
       e.raw_payload->>'status' AS status,
       e.raw_payload->>'currency' AS currency,
       (e.raw_payload->>'amount')::bigint AS amount,
       (e.raw_payload->>'amount_refunded')::bigint AS amount_refunded,
       (e.raw_payload->>'paid')::boolean AS paid,
       (e.raw_payload->>'refunded')::boolean AS refunded,
       to_timestamp((e.raw_payload->>'created')::double precision) AS created,
       e.archived_at,
       e.raw_payload,
       e.updated_at
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'stripe' AND e.collection_key = 'stripe_charge';
GRANT SELECT ON stripe.charges TO tributary_app;

CREATE OR REPLACE VIEW stripe.refunds WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.external_id AS id,
       e.raw_payload->>'charge' AS charge,
       e.raw_payload->>'payment_intent' AS payment_intent,
       e.raw_payload->>'status' AS status,
       e.raw_payload->>'reason' AS reason,
       e.raw_payload->>'currency' AS currency,
       (e.raw_payload->>'amount')::bigint AS amount,
       to_timestamp((e.raw_payload->>'created')::double precision) AS created,
       e.archived_at,
       e.raw_payload,
       e.updated_at
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'stripe' AND e.collection_key = 'stripe_refund';
GRANT SELECT ON stripe.refunds TO tributary_app;

CREATE OR REPLACE VIEW stripe.coupons WITH (security_invoker = true) AS
SELECT e.tenant_id,
       e.app_key,
       e.external_id AS id,
       e.raw_payload->>'name' AS name,
       e.raw_payload->>'duration' AS duration,
       e.raw_payload->>'currency' AS currency,
       (e.raw_payload->>'percent_off')::numeric AS percent_off,
       (e.raw_payload->>'amount_off')::bigint AS amount_off,
       (e.raw_payload->>'valid')::boolean AS valid,
       to_timestamp((e.raw_payload->>'created')::double precision) AS created,
       e.archived_at,
       e.raw_payload,
       e.updated_at
  FROM tributary.entities e
  JOIN tributary.apps a ON a.tenant_id = e.tenant_id AND a.app_key = e.app_key
 WHERE a.connector = 'stripe' AND e.collection_key = 'stripe_coupon';
GRANT SELECT ON stripe.coupons TO tributary_app;
