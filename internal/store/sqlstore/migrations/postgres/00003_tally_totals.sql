-- The totals over every document gain a row's worth when a tally row is
-- inserted by the code that inserts it, once per key for a whole
-- transaction, not by a trigger per row (as SQLite's migration 18 does).
-- Updates and deletes of tally rows still keep the totals by trigger.

-- +goose Up
DROP TRIGGER entity_spellings_insert ON entity_spellings;
DROP TRIGGER entity_spellings_docs_insert ON entity_spellings;
DROP TRIGGER cooccurrences_insert ON cooccurrences;
DROP FUNCTION entity_spellings_insert();
DROP FUNCTION entity_spellings_docs_insert();
DROP FUNCTION cooccurrences_insert();

-- +goose Down
-- +goose StatementBegin
CREATE FUNCTION entity_spellings_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO spelling_totals (entity, name, why, mentions) VALUES (new.entity, new.name, new.why, new.mentions)
        ON CONFLICT (entity, name, why) DO UPDATE SET mentions = spelling_totals.mentions + excluded.mentions;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER entity_spellings_insert AFTER INSERT ON entity_spellings
    FOR EACH ROW EXECUTE FUNCTION entity_spellings_insert();
-- +goose StatementBegin
CREATE FUNCTION entity_spellings_docs_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO spelling_docs (entity, name, docs) SELECT new.entity, new.name, 1
        WHERE NOT EXISTS (SELECT 1 FROM entity_spellings x
            WHERE x.entity = new.entity AND x.name = new.name AND x.doc = new.doc)
        ON CONFLICT (entity, name) DO UPDATE SET docs = spelling_docs.docs + 1;
    RETURN new;
END $$;
-- +goose StatementEnd
CREATE TRIGGER entity_spellings_docs_insert BEFORE INSERT ON entity_spellings
    FOR EACH ROW EXECUTE FUNCTION entity_spellings_docs_insert();
-- +goose StatementBegin
CREATE FUNCTION cooccurrences_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pair_totals (a, b, sentences) VALUES (new.a, new.b, new.sentences)
        ON CONFLICT (a, b) DO UPDATE SET sentences = pair_totals.sentences + excluded.sentences;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER cooccurrences_insert AFTER INSERT ON cooccurrences
    FOR EACH ROW EXECUTE FUNCTION cooccurrences_insert();
