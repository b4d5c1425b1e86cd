-- Tributary core schema. Every tenant-owned table leads its key with tenant_id,
-- and row-level security keeps each transaction to the tenant named by
-- SET LOCAL tributary.tenant_id (see V3). Identifiers (tenant ids, app keys,
-- collection keys) follow ^[A-Za-z0-9_-]{1,64}$ at the API; the tables check it
-- again where a row is first created.

CREATE TABLE tenants (
    id          text        PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
    name        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    disabled_at timestamptz
);

CREATE TABLE api_keys (
    tenant_id    text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    name         text        NOT NULL,
    key_hash     bytea       NOT NULL,
    prefix       text        NOT NULL,
    roles        text[]      NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (id)
);
-- Authentication looks a presented key up by its hash, before the tenant is known.
CREATE UNIQUE INDEX api_keys_key_hash ON api_keys (key_hash);

CREATE TABLE apps (
    tenant_id          text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    app_key            text        NOT NULL CHECK (app_key ~ '^[A-Za-z0-9_-]{1,64}$'),
    connector          text        NOT NULL,
    name               text        NOT NULL,
    config             jsonb       NOT NULL DEFAULT '{}',
    credentials_enc    bytea,
    sync_from          timestamptz,
    schedule_cron      text,
    schedule_timezone  text,
    schedule_mode      text        NOT NULL DEFAULT 'incremental' CHECK (schedule_mode IN ('full', 'incremental')),
    schedule_enabled   boolean     NOT NULL DEFAULT false,
    retry_max_attempts integer     NOT NULL DEFAULT 3 CHECK (retry_max_attempts BETWEEN 1 AND 20),
    alert_config       jsonb       NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, app_key)
);
-- Migrations of a connector run only when some app uses it.
CREATE INDEX apps_connector ON apps (connector);

-- No foreign key to apps: bulk loads of hundreds of thousands of rows would pay
-- a referential check per row; deleting an app deletes its entities explicitly.
CREATE TABLE entities (
    tenant_id         text        NOT NULL,
    app_key           text        NOT NULL,
    collection_key    text        NOT NULL,
    external_id       text        NOT NULL,
    raw_payload       jsonb       NOT NULL,
    content_hash      bytea       NOT NULL,
    archived_at       timestamptz,
    source_created_at timestamptz,
    source_updated_at timestamptz,
    first_seen_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at      timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, app_key, collection_key, external_id)
);
-- The records API pages a collection by modification time (modified_after + cursor).
CREATE INDEX entities_modified ON entities (tenant_id, app_key, collection_key, updated_at, external_id);

CREATE TABLE sync_state (
    tenant_id         text        NOT NULL,
    app_key           text        NOT NULL,
    collection_key    text        NOT NULL,
    last_synced_at    timestamptz,
    last_full_sync_at timestamptz,
    cursor            jsonb,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, app_key, collection_key),
    FOREIGN KEY (tenant_id, app_key) REFERENCES apps (tenant_id, app_key) ON DELETE CASCADE
);

CREATE TABLE sync_runs (
    tenant_id         text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                uuid        NOT NULL,
    app_key           text        NOT NULL,
    collection_key    text,
    mode              text        NOT NULL CHECK (mode IN ('full', 'incremental')),
    trigger           text        NOT NULL CHECK (trigger IN ('manual', 'schedule', 'retry', 'webhook')),
    dry_run           boolean     NOT NULL DEFAULT false,
    status            text        NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'completed_with_errors',
                                                             'failed', 'retry_scheduled', 'dead_lettered', 'cancelled')),
    attempt           integer     NOT NULL DEFAULT 1,
    max_attempts      integer     NOT NULL DEFAULT 3,
    idempotency_key   text,
    request           jsonb       NOT NULL DEFAULT '{}',
    queued_at         timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    completed_at      timestamptz,
    duration_ms       bigint,
    records_total     bigint      NOT NULL DEFAULT 0,
    records_new       bigint      NOT NULL DEFAULT 0,
    records_updated   bigint      NOT NULL DEFAULT 0,
    records_unchanged bigint      NOT NULL DEFAULT 0,
    records_deleted   bigint      NOT NULL DEFAULT 0,
    records_archived  bigint      NOT NULL DEFAULT 0,
    records_errors    bigint      NOT NULL DEFAULT 0,
    error_message     text,
    node_id           text,
    next_attempt_at   timestamptz,
    dry_run_preview   jsonb,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (id)
);
-- Status lists are newest first, optionally narrowed by app, collection or status.
CREATE INDEX sync_runs_newest ON sync_runs (tenant_id, queued_at DESC);
CREATE INDEX sync_runs_by_target ON sync_runs (tenant_id, app_key, collection_key, queued_at DESC);
CREATE INDEX sync_runs_by_status ON sync_runs (tenant_id, status, queued_at DESC);
-- Workers look for retries that are due, across tenants.
CREATE INDEX sync_runs_due_retries ON sync_runs (next_attempt_at) WHERE status = 'retry_scheduled';

CREATE TABLE sync_records (
    tenant_id      text        NOT NULL,
    id             bigint      GENERATED ALWAYS AS IDENTITY,
    sync_id        uuid        NOT NULL,
    app_key        text        NOT NULL,
    collection_key text        NOT NULL,
    external_id    text        NOT NULL,
    operation      text        NOT NULL CHECK (operation IN ('create', 'update', 'delete', 'archive', 'fetch')),
    status         text        NOT NULL CHECK (status IN ('failed', 'pending', 'succeeded')),
    error_message  text,
    retry_count    integer     NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, sync_id) REFERENCES sync_runs (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sync_records_by_run ON sync_records (tenant_id, sync_id);
-- The failures list: failed records of a tenant, optionally one app / collection, newest first.
CREATE INDEX sync_records_failures ON sync_records (tenant_id, app_key, collection_key, created_at DESC)
    WHERE status = 'failed';

CREATE TABLE sync_locks (
    tenant_id      text NOT NULL,
    app_key        text NOT NULL,
    collection_key text NOT NULL,
    PRIMARY KEY (tenant_id, app_key, collection_key),
    FOREIGN KEY (tenant_id, app_key) REFERENCES apps (tenant_id, app_key) ON DELETE CASCADE
);

CREATE TABLE idempotency_keys (
    tenant_id       text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key             text        NOT NULL,
    request_hash    bytea       NOT NULL,
    response_status integer,
    response_body   jsonb,
    sync_id         uuid,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

CREATE TABLE webhook_events (
    tenant_id    text        NOT NULL,
    app_key      text        NOT NULL,
    event_id     text        NOT NULL,
    event_type   text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    status       text        NOT NULL CHECK (status IN ('received', 'processed', 'ignored', 'failed')),
    payload      jsonb,
    PRIMARY KEY (tenant_id, app_key, event_id),
    FOREIGN KEY (tenant_id, app_key) REFERENCES apps (tenant_id, app_key) ON DELETE CASCADE
);

CREATE TABLE data_quality_snapshots (
    tenant_id      text        NOT NULL,
    id             bigint      GENERATED ALWAYS AS IDENTITY,
    app_key        text        NOT NULL,
    collection_key text        NOT NULL,
    sync_id        uuid        NOT NULL,
    captured_at    timestamptz NOT NULL DEFAULT now(),
    metrics        jsonb       NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, app_key) REFERENCES apps (tenant_id, app_key) ON DELETE CASCADE
);
-- "Change from the previous snapshot" reads the newest snapshot of a collection.
CREATE INDEX data_quality_snapshots_latest
    ON data_quality_snapshots (tenant_id, app_key, collection_key, captured_at DESC);
