-- A run of the search index holds at most runMaxDocs (4,096) documents
-- (postings.go): ranking reads the statistics of the runs that hold the
-- newest matches, and a row's blob is read whole, so a word in every
-- document of a million had its top-level runs of some 130,000 documents
-- read whole to score a few thousand. postings_long lists the runs an
-- earlier release wrote longer, which the store splits when it is opened,
-- a few per transaction (splitLongRuns).

-- +goose Up
CREATE TABLE postings_long (
    token TEXT NOT NULL,
    level INTEGER NOT NULL,
    first INTEGER NOT NULL,
    PRIMARY KEY (token, level, first)
);
INSERT INTO postings_long (token, level, first) SELECT token, level, first FROM postings WHERE n > 4096;

-- +goose Down
-- The release before reads runs of any length.
DROP TABLE postings_long;
