-- As SQLite's migration 22: a level of the search index is merged a page
-- of runs at a time, in order of token (postings.go, mergeLevel). Under an
-- index of the level alone, each page sorted every run of the level still
-- to merge: a merge of n runs read n²/4096 of them. In order of level,
-- token and first, a page is the next rows of the index.

-- +goose Up
DROP INDEX postings_level;
CREATE INDEX postings_level ON postings (level, token, first);

-- +goose Down
DROP INDEX postings_level;
CREATE INDEX postings_level ON postings (level);
