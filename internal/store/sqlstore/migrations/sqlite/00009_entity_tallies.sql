-- Tallies kept beside the mentions so that an entity's profile reads a few
-- rows per document instead of every mention and every mention sharing a
-- sentence with one (a self-join that ran for half an hour on an entity of
-- a 20 MB document). Rows are keyed by the entity a mention is tied to,
-- not the entity a merge makes of it, so merges and their undoing change
-- nothing here; resolution adds to them, and a split or its undoing
-- recounts the documents whose mentions it moved. doc is a document's seq.

-- +goose Up
-- entity_spellings counts, for each entity, document, spelling (whitespace
-- folded) and resolution reason, the mentions. date is the document's, so
-- that a timeline is read in date order from the index.
CREATE TABLE entity_spellings (
    entity   INTEGER NOT NULL,
    doc      INTEGER NOT NULL,
    name     TEXT NOT NULL,
    why      TEXT NOT NULL,
    date     TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (entity, name, doc, why)
) WITHOUT ROWID;
CREATE INDEX entity_spellings_date ON entity_spellings (entity, date, doc);
CREATE INDEX entity_spellings_doc ON entity_spellings (doc);

-- cooccurrences counts, for each ordered pair of entities named in the same
-- sentence of a document, the sentences naming both, and keeps the
-- longest text of b in those sentences, to name the connection by.
CREATE TABLE cooccurrences (
    a         INTEGER NOT NULL,
    b         INTEGER NOT NULL,
    doc       INTEGER NOT NULL,
    sentences INTEGER NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (a, b, doc)
) WITHOUT ROWID;
CREATE INDEX cooccurrences_doc ON cooccurrences (doc);

-- A document that leaves the store takes its tallies with it (its seq may
-- be given to the next document).
-- +goose StatementBegin
CREATE TRIGGER documents_tallies_delete BEFORE DELETE ON documents BEGIN
    DELETE FROM entity_spellings WHERE doc = old.seq;
    DELETE FROM cooccurrences WHERE doc = old.seq;
END;
-- +goose StatementEnd

-- Totals over every document, kept by triggers, for a reader that may see
-- every collection: spelling_totals sums an entity's mentions per spelling
-- and reason, spelling_docs counts the documents using each spelling, and
-- pair_totals sums the sentences a pair shares.
CREATE TABLE spelling_totals (
    entity   INTEGER NOT NULL,
    name     TEXT NOT NULL,
    why      TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (entity, name, why)
) WITHOUT ROWID;
CREATE TABLE spelling_docs (
    entity INTEGER NOT NULL,
    name   TEXT NOT NULL,
    docs   INTEGER NOT NULL,
    PRIMARY KEY (entity, name)
) WITHOUT ROWID;
CREATE TABLE pair_totals (
    a         INTEGER NOT NULL,
    b         INTEGER NOT NULL,
    sentences INTEGER NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;

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
CREATE TRIGGER entity_spellings_update AFTER UPDATE OF mentions ON entity_spellings BEGIN
    UPDATE spelling_totals SET mentions = mentions + new.mentions - old.mentions
        WHERE entity = new.entity AND name = new.name AND why = new.why;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER entity_spellings_delete AFTER DELETE ON entity_spellings BEGIN
    UPDATE spelling_totals SET mentions = mentions - old.mentions
        WHERE entity = old.entity AND name = old.name AND why = old.why;
    DELETE FROM spelling_totals WHERE entity = old.entity AND name = old.name AND why = old.why AND mentions <= 0;
    UPDATE spelling_docs SET docs = docs - 1
        WHERE entity = old.entity AND name = old.name
        AND NOT EXISTS (SELECT 1 FROM entity_spellings x WHERE x.entity = old.entity AND x.name = old.name AND x.doc = old.doc);
    DELETE FROM spelling_docs WHERE entity = old.entity AND name = old.name AND docs <= 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cooccurrences_insert AFTER INSERT ON cooccurrences BEGIN
    INSERT INTO pair_totals (a, b, sentences) VALUES (new.a, new.b, new.sentences)
        ON CONFLICT (a, b) DO UPDATE SET sentences = sentences + excluded.sentences;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cooccurrences_update AFTER UPDATE OF sentences ON cooccurrences BEGIN
    UPDATE pair_totals SET sentences = sentences + new.sentences - old.sentences WHERE a = new.a AND b = new.b;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cooccurrences_delete AFTER DELETE ON cooccurrences BEGIN
    UPDATE pair_totals SET sentences = sentences - old.sentences WHERE a = old.a AND b = old.b;
    DELETE FROM pair_totals WHERE a = old.a AND b = old.b AND sentences <= 0;
END;
-- +goose StatementEnd

-- Documents resolved before the tallies existed are counted when the
-- store opens (sqlite.Open), a few at a time, resumably.
CREATE TABLE tallies_pending (
    doc INTEGER PRIMARY KEY
);
INSERT INTO tallies_pending (doc) SELECT DISTINCT doc FROM mentions WHERE entity IS NOT NULL;

-- +goose Down
DROP TABLE tallies_pending;
DROP TRIGGER cooccurrences_delete;
DROP TRIGGER cooccurrences_update;
DROP TRIGGER cooccurrences_insert;
DROP TRIGGER entity_spellings_delete;
DROP TRIGGER entity_spellings_update;
DROP TRIGGER entity_spellings_insert;
DROP TABLE pair_totals;
DROP TABLE spelling_docs;
DROP TABLE spelling_totals;
DROP TRIGGER documents_tallies_delete;
DROP TABLE cooccurrences;
DROP TABLE entity_spellings;
