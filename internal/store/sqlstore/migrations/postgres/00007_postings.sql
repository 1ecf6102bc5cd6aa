-- The search index becomes the project's own, as SQLite's migration 21
-- makes it (see there): tsvectors under a GIN index read every match to
-- count and rank it, seconds for a name in half of a million documents.
-- The runs' columns are stored out of line uncompressed (EXTERNAL): they
-- are varints, which compress little, and a search reads megabytes of
-- them. postings_pending lists the documents still to index, which the
-- store does when it is opened.

-- +goose Up
DROP TABLE documents_fts;

CREATE TABLE postings (
    token     TEXT COLLATE "C" NOT NULL,
    level     INTEGER NOT NULL,
    first     BIGINT NOT NULL,
    last      BIGINT NOT NULL,
    n         INTEGER NOT NULL,
    seqs      BYTEA NOT NULL,
    stats     BYTEA NOT NULL,
    positions BYTEA NOT NULL,
    PRIMARY KEY (token, level, first)
);
ALTER TABLE postings ALTER COLUMN seqs SET STORAGE EXTERNAL,
    ALTER COLUMN stats SET STORAGE EXTERNAL, ALTER COLUMN positions SET STORAGE EXTERNAL;
CREATE INDEX postings_level ON postings (level);

CREATE TABLE postings_totals (
    docs  BIGINT NOT NULL,
    words BIGINT NOT NULL,
    runs  BIGINT NOT NULL
);
INSERT INTO postings_totals (docs, words, runs) VALUES (0, 0, 0);

CREATE TABLE postings_pending (seq BIGINT PRIMARY KEY);
INSERT INTO postings_pending (seq) SELECT seq FROM documents;

-- +goose Down
DROP TABLE postings_pending;
DROP TABLE postings_totals;
DROP TABLE postings;
CREATE TABLE documents_fts (
    seq  BIGINT NOT NULL REFERENCES documents (seq) ON DELETE CASCADE,
    part INTEGER NOT NULL,
    tsv  TSVECTOR NOT NULL,
    PRIMARY KEY (seq, part)
);
CREATE INDEX documents_fts_tsv ON documents_fts USING GIN (tsv);
UPDATE documents SET key_version = 0;
