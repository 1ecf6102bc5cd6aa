-- A pair's total keeps the fullest name its co-occurrence rows give the
-- second entity (the longest, in characters, then the first in byte
-- order), which names a connection in a profile read for every document:
-- reading it from the rows took every sentence the pair shares, a third of
-- a second for a hub's twenty connections at 600,000 documents. The store
-- offers it as it writes the totals (sqlstore.totals); a row deleted with
-- the name is replaced by the fullest left, found only when no row left
-- has the same name.

-- +goose Up
ALTER TABLE pair_totals ADD COLUMN name TEXT NOT NULL DEFAULT '';
UPDATE pair_totals SET name = coalesce((SELECT c.name FROM cooccurrences c WHERE c.a = pair_totals.a AND c.b = pair_totals.b
    ORDER BY length(c.name) DESC, c.name LIMIT 1), '');
DROP TRIGGER cooccurrences_delete;
-- +goose StatementBegin
CREATE TRIGGER cooccurrences_delete AFTER DELETE ON cooccurrences BEGIN
    UPDATE pair_totals SET sentences = sentences - old.sentences WHERE a = old.a AND b = old.b;
    DELETE FROM pair_totals WHERE a = old.a AND b = old.b AND sentences <= 0;
    UPDATE pair_totals SET name = coalesce((SELECT c.name FROM cooccurrences c WHERE c.a = old.a AND c.b = old.b
            ORDER BY length(c.name) DESC, c.name LIMIT 1), '')
        WHERE a = old.a AND b = old.b AND name = old.name
            AND NOT EXISTS (SELECT 1 FROM cooccurrences c WHERE c.a = old.a AND c.b = old.b AND c.name = old.name);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER cooccurrences_delete;
-- +goose StatementBegin
CREATE TRIGGER cooccurrences_delete AFTER DELETE ON cooccurrences BEGIN
    UPDATE pair_totals SET sentences = sentences - old.sentences WHERE a = old.a AND b = old.b;
    DELETE FROM pair_totals WHERE a = old.a AND b = old.b AND sentences <= 0;
END;
-- +goose StatementEnd
ALTER TABLE pair_totals DROP COLUMN name;
