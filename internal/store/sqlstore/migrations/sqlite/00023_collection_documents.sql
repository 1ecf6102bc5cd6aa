-- A collection keeps the count of the documents it holds, which the store
-- adds to as it writes holdings (a collection's holdings go with it): the
-- collection list and the document list of a scope of one collection read
-- it, where counting read every holding (a million: about 200 ms on
-- PostgreSQL, each page of the document list). Not kept by a trigger on
-- the holdings: a distributed PostgreSQL runs none on a distributed table
-- (see postgres/distribute_test.go).

-- +goose Up
ALTER TABLE collections ADD COLUMN documents INTEGER NOT NULL DEFAULT 0;
UPDATE collections SET documents = (SELECT count(*) FROM holdings h WHERE h.collection_id = collections.id);

-- +goose Down
ALTER TABLE collections DROP COLUMN documents;
