-- A pair's total keeps the fullest name its co-occurrence rows give the
-- second entity, as SQLite's migration 20 does (see there).

-- +goose Up
ALTER TABLE pair_totals ADD COLUMN name TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE pair_totals SET name = coalesce((SELECT c.name FROM cooccurrences c WHERE c.a = pair_totals.a AND c.b = pair_totals.b
    ORDER BY length(c.name) DESC, c.name LIMIT 1), '');
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION cooccurrences_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE pair_totals SET sentences = sentences - old.sentences WHERE a = old.a AND b = old.b;
    DELETE FROM pair_totals WHERE a = old.a AND b = old.b AND sentences <= 0;
    UPDATE pair_totals SET name = coalesce((SELECT c.name FROM cooccurrences c WHERE c.a = old.a AND c.b = old.b
            ORDER BY length(c.name) DESC, c.name LIMIT 1), '')
        WHERE a = old.a AND b = old.b AND name = old.name
            AND NOT EXISTS (SELECT 1 FROM cooccurrences c WHERE c.a = old.a AND c.b = old.b AND c.name = old.name);
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION cooccurrences_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE pair_totals SET sentences = sentences - old.sentences WHERE a = old.a AND b = old.b;
    DELETE FROM pair_totals WHERE a = old.a AND b = old.b AND sentences <= 0;
    RETURN NULL;
END $$;
-- +goose StatementEnd
ALTER TABLE pair_totals DROP COLUMN name;
