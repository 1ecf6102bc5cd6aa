-- Watchlists: reference lists of known names (sanctions lists, a user's own
-- list), each entry with its aliases, and the links resolution makes from
-- entities to entries. A link keeps the entry as it read when linked, so
-- reloading a list, or a list built into the program, leaves it as it was.

-- +goose Up
CREATE TABLE watchlist_entries (
    list      TEXT NOT NULL,
    id        TEXT NOT NULL,
    name      TEXT NOT NULL,
    -- aliases is a JSON array of strings.
    aliases   TEXT NOT NULL DEFAULT '[]',
    programme TEXT NOT NULL DEFAULT '',
    kind      TEXT NOT NULL DEFAULT '',
    loaded_at TEXT NOT NULL,
    PRIMARY KEY (list, id)
);

CREATE TABLE watchlist_links (
    entity    INTEGER NOT NULL REFERENCES entities (id),
    list      TEXT NOT NULL,
    entry     TEXT NOT NULL,
    name      TEXT NOT NULL,
    aliases   TEXT NOT NULL DEFAULT '[]',
    programme TEXT NOT NULL DEFAULT '',
    kind      TEXT NOT NULL DEFAULT '',
    why       TEXT NOT NULL DEFAULT '',
    -- spelling is the entity's name that matched: a caller sees the link
    -- only if its scope holds a document with that spelling.
    spelling  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (entity, list, entry)
);

-- +goose Down
DROP TABLE watchlist_links;
DROP TABLE watchlist_entries;
