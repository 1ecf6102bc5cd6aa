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

-- Documents resolved before the tallies existed are counted when the
-- store opens (sqlite.Open), a few at a time, resumably.
CREATE TABLE tallies_pending (
    doc INTEGER PRIMARY KEY
);
INSERT INTO tallies_pending (doc) SELECT DISTINCT doc FROM mentions WHERE entity IS NOT NULL;

-- +goose Down
DROP TABLE tallies_pending;
DROP TRIGGER documents_tallies_delete;
DROP TABLE cooccurrences;
DROP TABLE entity_spellings;
