-- Documents, the collections and agencies that hold them, their mentions, and
-- the full-text index over titles and bodies.

-- +goose Up
CREATE TABLE agencies (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE collections (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    agency_id  INTEGER NOT NULL REFERENCES agencies (id),
    created_at TEXT NOT NULL
);

-- seq is the rowid the full-text index refers to; id is the content hash.
CREATE TABLE documents (
    seq    INTEGER PRIMARY KEY,
    id     TEXT NOT NULL UNIQUE,
    parent TEXT NOT NULL DEFAULT '',
    title  TEXT NOT NULL,
    body   TEXT NOT NULL,
    date   TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL,
    size   INTEGER NOT NULL,
    meta   TEXT NOT NULL DEFAULT '{}'
);

-- A holding is one collection's copy of a document.
CREATE TABLE holdings (
    seq           INTEGER PRIMARY KEY,
    doc           INTEGER NOT NULL REFERENCES documents (seq),
    collection_id INTEGER NOT NULL REFERENCES collections (id),
    source        TEXT NOT NULL,
    added_at      TEXT NOT NULL,
    UNIQUE (collection_id, doc)
);
CREATE INDEX holdings_doc ON holdings (doc);

-- Keyed by document and offsets, without a rowid: one B-tree, appended in
-- order as documents arrive, instead of a table and an index to maintain.
CREATE TABLE mentions (
    doc        INTEGER NOT NULL REFERENCES documents (seq),
    start_byte INTEGER NOT NULL,
    end_byte   INTEGER NOT NULL,
    type       TEXT NOT NULL,
    text       TEXT NOT NULL,
    norm       TEXT NOT NULL DEFAULT '',
    sent_start INTEGER NOT NULL,
    sent_end   INTEGER NOT NULL,
    confidence REAL NOT NULL,
    PRIMARY KEY (doc, start_byte, end_byte, type)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE documents_fts USING fts5 (
    title, body,
    content = 'documents', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- +goose StatementBegin
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, body) VALUES (new.seq, new.title, new.body);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER documents_fts_insert;
DROP TABLE documents_fts;
DROP TABLE mentions;
DROP TABLE holdings;
DROP TABLE documents;
DROP TABLE collections;
DROP TABLE agencies;
