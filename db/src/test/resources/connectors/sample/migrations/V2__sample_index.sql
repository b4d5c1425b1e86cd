CREATE INDEX IF NOT EXISTS sample_index ON tributary.entities (source_updated_at);
