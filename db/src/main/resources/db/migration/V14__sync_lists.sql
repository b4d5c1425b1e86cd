-- Seed 004's sync management: saved filters (search patterns), the persistent sync list
-- pushed to a target app, the per-tenant schedule of its pushes, and push runs kept in
-- sync_runs beside pulls (one history).
--
-- Ownership: filters, sync list items and push runs belong to the credential that made them
-- (its subject: 'jwt:<sub>' or 'key:<api key id>'). Row-level security admits such a row for
-- its tenant and, when the transaction names an owner (SET LOCAL tributary.user_id), only
-- for that owner; '*' names the whole tenant (sync:admin, workers, the scheduled sync).
-- With the setting absent no owned row is visible and none can be written.

CREATE FUNCTION current_owner_id() RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT nullif(current_setting('tributary.user_id', true), '') $$;

CREATE TABLE saved_filters (
    tenant_id         text        NOT NULL,
    id                uuid        NOT NULL,
    owner             text        NOT NULL,
    name              text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description       text,
    source_app_key    text        NOT NULL,
    collection_key    text        NOT NULL,
    target_app_key    text        NOT NULL,
    target_collection text        NOT NULL,
    filter_config     jsonb       NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, owner, name),
    FOREIGN KEY (tenant_id, source_app_key) REFERENCES apps (tenant_id, app_key) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, target_app_key) REFERENCES apps (tenant_id, app_key) ON DELETE CASCADE
);
CREATE INDEX saved_filters_newest ON saved_filters (tenant_id, owner, created_at DESC);

-- One item per source record and target: two owners pushing the same record to the same
-- target would create it there twice.
CREATE TABLE sync_list_items (
    tenant_id         text        NOT NULL,
    id                uuid        NOT NULL,
    owner             text        NOT NULL,
    source_app_key    text        NOT NULL,
    collection_key    text        NOT NULL,
    source_id         text        NOT NULL,
    target_app_key    text        NOT NULL,
    target_collection text        NOT NULL,
    target_id         text,
    sync_mode         text        NOT NULL DEFAULT 'delta' CHECK (sync_mode IN ('delta', 'full')),
    active            boolean     NOT NULL DEFAULT true,
    push_on_change    boolean     NOT NULL DEFAULT false,
    last_synced_at    timestamptz,
    last_sync_status  text        NOT NULL DEFAULT 'pending' CHECK (last_sync_status IN ('success', 'failed', 'pending')),
    last_sync_id      uuid,
    error_message     text,
    saved_filter_id   uuid,
    filter_config     jsonb,
    field_mapping     jsonb,
    metadata          jsonb       NOT NULL DEFAULT '{}',
    last_pushed_hash  bytea,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, source_app_key, collection_key, source_id, target_app_key, target_collection),
    FOREIGN KEY (tenant_id, source_app_key) REFERENCES apps (tenant_id, app_key) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, target_app_key) REFERENCES apps (tenant_id, app_key) ON DELETE CASCADE
);
CREATE INDEX sync_list_items_newest ON sync_list_items (tenant_id, owner, created_at DESC);
CREATE INDEX sync_list_items_by_target ON sync_list_items (tenant_id, target_app_key, target_collection)
    WHERE active;

-- When a tenant's active sync list items are pushed on their own: a standard 5-field cron in
-- an IANA time zone, like an app's schedule.
CREATE TABLE sync_list_schedule (
    tenant_id  text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    cron       text        NOT NULL,
    timezone   text        NOT NULL DEFAULT 'UTC',
    enabled    boolean     NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id)
);

-- Push runs: kind 'push', mode delta (push only what changed) or full, owned by whoever queued
-- them; pulls keep kind 'pull', no owner. The counts columns hold items_processed (total),
-- created, updated, unchanged and failed (errors); item_errors the failed items' errors.
ALTER TABLE sync_runs
    ADD COLUMN kind        text  NOT NULL DEFAULT 'pull' CHECK (kind IN ('pull', 'push')),
    ADD COLUMN owner       text,
    ADD COLUMN item_errors jsonb NOT NULL DEFAULT '[]',
    DROP CONSTRAINT sync_runs_mode_check,
    ADD CONSTRAINT sync_runs_mode_check CHECK ((kind = 'pull' AND mode IN ('full', 'incremental'))
                                            OR (kind = 'push' AND mode IN ('delta', 'full')));
-- The history's push runs: newest first.
CREATE INDEX sync_runs_pushes ON sync_runs (tenant_id, queued_at DESC) WHERE kind = 'push';

ALTER TABLE saved_filters ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_list_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_list_schedule ENABLE ROW LEVEL SECURITY;
CREATE POLICY owner_isolation ON saved_filters
    USING (tenant_id = current_tenant_id() AND (current_owner_id() = '*' OR owner = current_owner_id()))
    WITH CHECK (tenant_id = current_tenant_id() AND (current_owner_id() = '*' OR owner = current_owner_id()));
CREATE POLICY owner_isolation ON sync_list_items
    USING (tenant_id = current_tenant_id() AND (current_owner_id() = '*' OR owner = current_owner_id()))
    WITH CHECK (tenant_id = current_tenant_id() AND (current_owner_id() = '*' OR owner = current_owner_id()));
CREATE POLICY tenant_isolation ON sync_list_schedule
    USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- Pulls stay the whole tenant's; a push run is its owner's (and the whole tenant's scope's).
DROP POLICY tenant_isolation ON sync_runs;
CREATE POLICY tenant_isolation ON sync_runs
    USING (tenant_id = current_tenant_id()
           AND (owner IS NULL OR current_owner_id() = '*' OR owner = current_owner_id()))
    WITH CHECK (tenant_id = current_tenant_id()
                AND (owner IS NULL OR current_owner_id() = '*' OR owner = current_owner_id()));
