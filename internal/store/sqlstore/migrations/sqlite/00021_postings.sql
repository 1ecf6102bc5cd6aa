-- The search index becomes the project's own (postings.go): for each keyed
-- token, runs of the documents holding it, with their statistics and the
-- token's positions, read and intersected in Go. FTS5 read every match's
-- positions to count and rank them: a name in half of a million documents
-- took 65 ms to count and 70 ms to rank.
--
-- postings_totals keeps what ranking weighs a document's length against
-- (documents and words indexed) and how many transactions have written
-- runs, which says when a level's runs are merged.
--
-- FTS5's index holds no text to build the new one from (it is contentless):
-- postings_pending lists every document still to index, which the store
-- does when it is opened, a batch per transaction, each document under the
-- key that sealed it (indexPending).

-- +goose Up
DROP TRIGGER documents_fts_delete;
DROP TABLE documents_fts;

CREATE TABLE postings (
    token     TEXT NOT NULL,
    level     INTEGER NOT NULL,
    first     INTEGER NOT NULL,
    last      INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    seqs      BLOB NOT NULL,
    stats     BLOB NOT NULL,
    positions BLOB NOT NULL,
    PRIMARY KEY (token, level, first)
);
CREATE INDEX postings_level ON postings (level);

CREATE TABLE postings_totals (
    docs  INTEGER NOT NULL,
    words INTEGER NOT NULL,
    runs  INTEGER NOT NULL
);
INSERT INTO postings_totals (docs, words, runs) VALUES (0, 0, 0);

CREATE TABLE postings_pending (seq INTEGER PRIMARY KEY);
INSERT INTO postings_pending (seq) SELECT seq FROM documents;

-- +goose Down
-- The release before indexes the documents in FTS5 anew when it opens the
-- store, finding them marked for sealing.
DROP TABLE postings_pending;
DROP TABLE postings_totals;
DROP TABLE postings;
CREATE VIRTUAL TABLE documents_fts USING fts5 (
    title, body,
    content = '', contentless_delete = 1,
    tokenize = 'ascii'
);
-- +goose StatementBegin
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    DELETE FROM documents_fts WHERE rowid = old.seq;
END;
-- +goose StatementEnd
UPDATE documents SET key_version = 0;
