-- The external ids a full sync of a target has seen so far. Kept across attempts,
-- so a run resumed after a crash still knows what the first attempt saw; emptied
-- when a full pass starts afresh and when it ends. Deletion detection removes the
-- target's entities that are not here. Unlogged: it is rebuilt by the next full sync.
CREATE UNLOGGED TABLE sync_seen (
    tenant_id      text NOT NULL,
    app_key        text NOT NULL,
    collection_key text NOT NULL,
    external_id    text NOT NULL,
    PRIMARY KEY (tenant_id, app_key, collection_key, external_id)
);
ALTER TABLE sync_seen ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sync_seen USING (tenant_id = current_tenant_id())
    WITH CHECK (tenant_id = current_tenant_id());
