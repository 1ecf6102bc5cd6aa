-- A collection keeps the count of the documents it holds, as SQLite's
-- migration 23 does (see there).

-- +goose Up
ALTER TABLE collections ADD COLUMN documents BIGINT NOT NULL DEFAULT 0;
UPDATE collections SET documents = (SELECT count(*) FROM holdings h WHERE h.collection_id = collections.id);

-- +goose Down
ALTER TABLE collections DROP COLUMN documents;
