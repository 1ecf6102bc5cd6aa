-- Relation confidence: how likely a relation is to be right, in (0, 1] —
-- the learned classifier's probability for the relations it types, the
-- rules' measured precision per type for theirs, the base rate for
-- co-occurrence (see extract.Relate). Relations stored before it were all
-- found by the rules or by co-occurrence, so they take those figures
-- (internal/extract/relation_model.go); a type that file does not list keeps
-- the default 1.

-- +goose Up
ALTER TABLE relations ADD COLUMN confidence REAL NOT NULL DEFAULT 1;
UPDATE relations SET confidence = CASE type
    WHEN 'co-occurrence' THEN 0.21
    WHEN 'location' THEN 0.93
    WHEN 'attack' THEN 0.67
    WHEN 'member' THEN 0.83
    WHEN 'contact' THEN 0.83
    WHEN 'command' THEN 0.83
    WHEN 'travel' THEN 0.83
    WHEN 'family' THEN 0.83
    ELSE 1 END;

-- +goose Down
ALTER TABLE relations DROP COLUMN confidence;
