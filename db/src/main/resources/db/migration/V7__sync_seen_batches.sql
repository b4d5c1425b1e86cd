-- The seen-set, one row per written batch holding that batch's external ids as an
-- array, instead of one indexed row per id: a 237,000-record full sync now adds
-- 237 small rows to it rather than 237,000 index entries. Deletion detection
-- unnests it into one hash table. Unlogged, as before: the next full sync rebuilds it.
DROP TABLE sync_seen;
CREATE UNLOGGED TABLE sync_seen (
    tenant_id      text   NOT NULL,
    app_key        text   NOT NULL,
    collection_key text   NOT NULL,
    external_ids   text[] NOT NULL
);
CREATE INDEX sync_seen_target ON sync_seen (tenant_id, app_key, collection_key);
ALTER TABLE sync_seen ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sync_seen USING (tenant_id = current_tenant_id())
    WITH CHECK (tenant_id = current_tenant_id());
