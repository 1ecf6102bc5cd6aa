-- A document's mentions and relations are written without PostgreSQL
-- checking their foreign keys row by row. Each checked row ran a trigger
-- that looked its document (and its entity) up and locked it FOR KEY
-- SHARE: ~12 us a mention, 65 mentions and 41 relations a news article,
-- which made the checks more than half of the time PostgreSQL spent
-- inserting mentions (197,142 mentions in statements of 64: 3.2 s checked,
-- 0.9 s unchecked).
--
-- What the keys guarded still holds: the rows are written in the
-- transaction that writes their document, every write transaction holds
-- the store's advisory lock (no other writer runs beside it), a tie's
-- entity is looked up before it is written (resolution.entityOf), and a
-- document's rows are deleted before it is. SQLite keeps the same keys,
-- checked (cheaply, without locks), and runs the same code under the same
-- conformance suite: a change that left a mention without its document
-- fails there.

-- +goose Up
ALTER TABLE mentions DROP CONSTRAINT mentions_doc_fkey;
ALTER TABLE mentions DROP CONSTRAINT mentions_entity_fkey;
ALTER TABLE relations DROP CONSTRAINT relations_doc_fkey;

-- +goose Down
ALTER TABLE mentions ADD CONSTRAINT mentions_doc_fkey FOREIGN KEY (doc) REFERENCES documents (seq);
ALTER TABLE mentions ADD CONSTRAINT mentions_entity_fkey FOREIGN KEY (entity) REFERENCES entities (id);
ALTER TABLE relations ADD CONSTRAINT relations_doc_fkey FOREIGN KEY (doc) REFERENCES documents (seq);
