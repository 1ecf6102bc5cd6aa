-- Incidents: attacks as data (store/incident.go), each held by one
-- collection, so that a scope selects them as it selects documents, and a
-- collection deleted takes its incidents with it.
--
-- The whole incident is kept as JSON in body, sealed with the store's
-- content key and bound to its row ("incident <id>") and column, as a
-- document's text is: its summary, places and counts are not in clear.
-- What SQL must filter or order by stays in clear beside it, as entity
-- names and dates do for documents: the date's parts, a sort key, the
-- country and region names, the attribution class, and the perpetrators'
-- and attack types' names. The names are folded to lower case (by the
-- store, so that case folding is Unicode's, not SQLite's ASCII lower()).
--
-- The id is AUTOINCREMENT: an incident's ID is never reused, even after
-- the incident with the highest one leaves with its collection.

-- +goose Up
CREATE TABLE incidents (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    -- event_id is the GTD eventid, or '' for an incident no GTD row gave.
    event_id      TEXT NOT NULL DEFAULT '',
    date_year     INTEGER NOT NULL,
    -- date_month and date_day are NULL when unknown, never 0.
    date_month    INTEGER,
    date_day      INTEGER,
    -- date_key orders incidents by date: year*10000 + month*100 + day,
    -- an unknown part counting 0, so a date known to its year alone sorts
    -- before every day of that year.
    date_key      INTEGER NOT NULL,
    country       TEXT NOT NULL DEFAULT '',
    region        TEXT NOT NULL DEFAULT '',
    attribution   TEXT NOT NULL DEFAULT '',
    body          BLOB NOT NULL
);
CREATE UNIQUE INDEX incidents_event ON incidents (collection_id, event_id) WHERE event_id != '';
CREATE INDEX incidents_date ON incidents (date_key, id);
CREATE INDEX incidents_collection_date ON incidents (collection_id, date_key, id);

-- incident_names holds the names an incident is filtered by that it may
-- have several of: kind 'group' for a perpetrator, 'attack' for an attack
-- type, each folded to lower case, once per incident.
CREATE TABLE incident_names (
    kind        TEXT NOT NULL CHECK (kind IN ('group', 'attack')),
    name        TEXT NOT NULL,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, name, incident_id)
) WITHOUT ROWID;
CREATE INDEX incident_names_incident ON incident_names (incident_id);

-- +goose Down
DROP TABLE incident_names;
DROP TABLE incidents;
