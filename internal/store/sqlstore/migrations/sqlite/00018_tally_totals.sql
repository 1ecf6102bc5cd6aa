-- The totals over every document (migration 9) gain a row's worth when a
-- tally row is inserted by the code that inserts it, once per key for a
-- whole transaction, not by a trigger per row: the triggers cost as much
-- as the rest of storing a document. Updates and deletes of tally rows
-- still keep the totals by trigger.

-- +goose Up
DROP TRIGGER entity_spellings_insert;
DROP TRIGGER cooccurrences_insert;

-- +goose Down
-- +goose StatementBegin
CREATE TRIGGER entity_spellings_insert AFTER INSERT ON entity_spellings BEGIN
    INSERT INTO spelling_totals (entity, name, why, mentions) VALUES (new.entity, new.name, new.why, new.mentions)
        ON CONFLICT (entity, name, why) DO UPDATE SET mentions = mentions + excluded.mentions;
    INSERT INTO spelling_docs (entity, name, docs) SELECT new.entity, new.name, 1
        WHERE NOT EXISTS (SELECT 1 FROM entity_spellings x
            WHERE x.entity = new.entity AND x.name = new.name AND x.doc = new.doc AND x.why != new.why)
        ON CONFLICT (entity, name) DO UPDATE SET docs = docs + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cooccurrences_insert AFTER INSERT ON cooccurrences BEGIN
    INSERT INTO pair_totals (a, b, sentences) VALUES (new.a, new.b, new.sentences)
        ON CONFLICT (a, b) DO UPDATE SET sentences = sentences + excluded.sentences;
END;
-- +goose StatementEnd
