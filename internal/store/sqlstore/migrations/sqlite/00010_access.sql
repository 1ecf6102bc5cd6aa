-- Several agencies in one store (store/access.go): users and their
-- credentials, grants of collections, classification labels, share
-- requests, discovery alerts and the audit log. Secrets are stored only as
-- hashes: passwords as argon2id strings, tokens and session secrets as
-- SHA-256 digests (they are random, so a slow hash adds nothing).

-- +goose Up
ALTER TABLE collections ADD COLUMN classification TEXT NOT NULL DEFAULT 'UNCLASSIFIED';

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    agency_id     INTEGER NOT NULL REFERENCES agencies (id),
    role          TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
    clearance     TEXT NOT NULL DEFAULT 'UNCLASSIFIED',
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);

CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    hash       BLOB NOT NULL UNIQUE,
    label      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE sessions (
    hash       BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    csrf_hash  BLOB NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- A grant names a user or an agency, never both.
CREATE TABLE grants (
    id            INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    user_id       INTEGER REFERENCES users (id),
    agency_id     INTEGER REFERENCES agencies (id),
    by_user       TEXT NOT NULL,
    reason        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    revoked_at    TEXT,
    CHECK ((user_id IS NULL) != (agency_id IS NULL))
);
CREATE INDEX grants_collection ON grants (collection_id);

-- subject is the JSON of a store.Subject.
CREATE TABLE share_requests (
    id         INTEGER PRIMARY KEY,
    user       TEXT NOT NULL,
    agency     TEXT NOT NULL,
    owner      TEXT NOT NULL,
    query      TEXT NOT NULL,
    subject    TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused')),
    decided_by TEXT NOT NULL DEFAULT '',
    answer     TEXT NOT NULL DEFAULT '',
    decided_at TEXT,
    collection TEXT NOT NULL DEFAULT ''
);
CREATE INDEX share_requests_agency ON share_requests (agency);
CREATE INDEX share_requests_owner ON share_requests (owner);

-- Discovery finds the mentions of a phone number or e-mail address by its
-- normalised form (store.Discovery); names are found through their entity.
CREATE INDEX mentions_identifier ON mentions (norm, type) WHERE type IN ('PHONE', 'EMAIL');

CREATE TABLE alerts (
    id         INTEGER PRIMARY KEY,
    agency     TEXT NOT NULL,
    other      TEXT NOT NULL,
    entity     INTEGER NOT NULL,
    theirs     INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (agency, other, entity, theirs)
);

-- The audit log is append-only: triggers refuse updates and deletes made
-- through SQLite, and the hash chain shows any made around them.
CREATE TABLE audit (
    seq     INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    user    TEXT NOT NULL,
    agency  TEXT NOT NULL,
    action  TEXT NOT NULL,
    object  TEXT NOT NULL,
    outcome TEXT NOT NULL,
    prev    TEXT NOT NULL,
    hash    TEXT NOT NULL
);
CREATE INDEX audit_user ON audit (user, seq);

-- +goose StatementBegin
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_no_delete;
DROP TRIGGER audit_no_update;
DROP TABLE audit;
DROP TABLE alerts;
DROP INDEX mentions_identifier;
DROP TABLE share_requests;
DROP TABLE grants;
DROP TABLE sessions;
DROP TABLE tokens;
DROP TABLE users;
ALTER TABLE collections DROP COLUMN classification;
