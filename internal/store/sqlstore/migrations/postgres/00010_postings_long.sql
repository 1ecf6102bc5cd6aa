-- Runs of the search index hold at most 4,096 documents, as SQLite's
-- migration 24 makes them (see there): postings_long lists the runs an
-- earlier release wrote longer, which the store splits when it is opened.

-- +goose Up
CREATE TABLE postings_long (
    token TEXT COLLATE "C" NOT NULL,
    level INTEGER NOT NULL,
    first BIGINT NOT NULL,
    PRIMARY KEY (token, level, first)
);
INSERT INTO postings_long (token, level, first) SELECT token, level, first FROM postings WHERE n > 4096;

-- +goose Down
-- The release before reads runs of any length.
DROP TABLE postings_long;
