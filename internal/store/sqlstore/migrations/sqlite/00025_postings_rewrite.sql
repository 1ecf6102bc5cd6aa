-- A run keeps its seqs as bits when those are shorter than distances (a
-- token in more than about one document in eight: postings.go), which a
-- search decodes into its sets word by word instead of number by number.
-- postings_long, the runs an earlier release wrote longer than the store
-- splits when it is opened, becomes postings_rewrite: those runs, and the
-- runs an earlier release wrote as distances that are shorter as bits, which
-- the store writes anew when it is opened, a few tokens a transaction
-- (rewriteRuns). Bits take a varint of the first seq and a byte for every
-- eight seqs from the first to the last; distances at least a byte a seq.

-- +goose Up
ALTER TABLE postings_long RENAME TO postings_rewrite;
INSERT INTO postings_rewrite (token, level, first)
    SELECT token, level, first FROM postings
    WHERE length(seqs) >= n AND (last - first) / 8 + 1 + CASE
        WHEN first < 128 THEN 1 WHEN first < 16384 THEN 2 WHEN first < 2097152 THEN 3
        WHEN first < 268435456 THEN 4 WHEN first < 34359738368 THEN 5 WHEN first < 4398046511104 THEN 6
        WHEN first < 562949953421312 THEN 7 WHEN first < 72057594037927936 THEN 8 ELSE 9 END < n
    ON CONFLICT DO NOTHING;

-- +goose Down
-- The release before reads seqs stored as bits as a damaged run: going
-- back to it needs those runs written anew as distances, which SQL
-- cannot do here. Its list keeps the long runs alone.
ALTER TABLE postings_rewrite RENAME TO postings_long;
DELETE FROM postings_long WHERE NOT EXISTS (SELECT 1 FROM postings p
    WHERE p.token = postings_long.token AND p.level = postings_long.level AND p.n > 4096);
