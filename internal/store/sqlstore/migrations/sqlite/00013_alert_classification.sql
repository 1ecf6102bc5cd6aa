-- An alert carries the highest classification label of the holdings that
-- matched (store.Alert.Classification), so that it is shown only to users
-- cleared for them: stored per agency, it was shown to every user of the
-- agency, telling an UNCLASSIFIED one of SECRET holdings that discovery
-- would not count for them. Alerts raised before carry no label; they
-- read as UNCLASSIFIED, as they were shown.
--
-- The audit log's object (a query, a document) is sealed with the store's
-- key, and a key rotation seals it anew with the new key: the trigger that
-- keeps the log append-only lets that one column change. The hash chain
-- covers the object in clear, so a value changed without the key does not
-- open, and one changed with it breaks the chain (audit.go).

-- +goose Up
ALTER TABLE alerts ADD COLUMN classification TEXT NOT NULL DEFAULT 'UNCLASSIFIED';

DROP TRIGGER audit_no_update;
-- +goose StatementBegin
CREATE TRIGGER audit_no_update BEFORE UPDATE OF seq, at, user, agency, action, outcome, prev, hash ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
-- +goose StatementEnd

-- +goose Down
-- Going down leaves the sealed objects and share requests sealed.
DROP TRIGGER audit_no_update;
-- +goose StatementBegin
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
-- +goose StatementEnd
ALTER TABLE alerts DROP COLUMN classification;
