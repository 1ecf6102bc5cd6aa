-- The files of discovery's exchange with peer servers (store.DiscoveryFiles):
-- the index this server exports, the digests of the tokens it gave peers,
-- the indexes it imported from them, kept in the database so that every
-- server on it shares them (a data folder keeps them as files).

-- +goose Up
CREATE TABLE discovery_files (
    name     TEXT PRIMARY KEY,
    body     BYTEA NOT NULL,
    modified BIGINT NOT NULL
);

-- +goose Down
DROP TABLE discovery_files;
