-- Encryption at rest. Titles, bodies and metadata become sealed values
-- (BLOBs: a key version byte, a nonce, AES-GCM's output), sealed in Go when
-- the store is opened; key_version says which key sealed a row (0: still in
-- clear, as an older release stored it), so that an upgrade or a key
-- rotation goes a batch at a time and resumes where it stopped.
--
-- The full-text index no longer reads the documents table: it is
-- contentless and holds keyed tokens, one for every word, written in Go.
-- The vocabulary maps each token to its word, sealed, for prefix queries.
-- crypt_keys holds a key check value for each key in use, so that a wrong
-- key is refused instead of reading as garbage; rotating marks the new key
-- of a rotation not yet finished.

-- +goose Up
DROP TRIGGER documents_fts_insert;
DROP TABLE documents_fts;

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

ALTER TABLE documents ADD COLUMN key_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX documents_key_version ON documents (key_version);

CREATE TABLE crypt_keys (
    version     INTEGER PRIMARY KEY,
    check_value BLOB NOT NULL,
    rotating    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE vocabulary (
    token   TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    word    BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX vocabulary_version ON vocabulary (version);

-- +goose Down
-- The values stay sealed: only a store opened again with the same key reads
-- them (it finds them sealed and indexes them anew).
DROP TABLE vocabulary;
DROP TABLE crypt_keys;
DROP INDEX documents_key_version;
ALTER TABLE documents DROP COLUMN key_version;
DROP TRIGGER documents_fts_delete;
DROP TABLE documents_fts;
CREATE VIRTUAL TABLE documents_fts USING fts5 (
    title, body,
    content = 'documents', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- +goose StatementBegin
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, body) VALUES (new.seq, new.title, new.body);
END;
-- +goose StatementEnd
