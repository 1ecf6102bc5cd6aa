-- The files of discovery's exchange with peer servers (store.DiscoveryFiles):
-- the index this server exports, the digests of the tokens it gave peers,
-- the indexes it imported from them. A data folder keeps them as files
-- beside the database; the table is there so that both stores keep the
-- same schema, and a database without a folder (PostgreSQL) keeps them.

-- +goose Up
CREATE TABLE discovery_files (
    name     TEXT PRIMARY KEY,
    body     BLOB NOT NULL,
    modified INTEGER NOT NULL
);

-- +goose Down
DROP TABLE discovery_files;
