-- Which per-connector migrations (classpath connectors/<provider>/migrations/V<n>__*.sql)
-- have run in this database. They run only for connectors some app uses, each once,
-- applied by the schema owner; the checksum tells if a shipped file was edited.
CREATE TABLE connector_migrations (
    connector   text        NOT NULL,
    version     integer     NOT NULL,
    description text        NOT NULL,
    checksum    text        NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connector, version)
);
