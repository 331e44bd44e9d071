-- Carnet schema: enrichment (crates/carnet-enrich). Append-only: never edit a migration
-- that has shipped; add a new file instead.
--
-- `jobs` are background jobs (enrichment today; `kind` is open so other crates can add
-- theirs). A job's people are resolved when it is queued (`person_ids`, a JSON list) so
-- its progress `done / total` is known and a restart resumes at index `done`.
-- `heartbeat_at` lets a process tell a job whose worker died (stale heartbeat) from one a
-- live worker is running. Tokens and other secrets are never stored here.

CREATE TABLE jobs (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  kind         TEXT NOT NULL,
  query        TEXT,
  person_ids   TEXT NOT NULL DEFAULT '[]',
  state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  done         INTEGER NOT NULL DEFAULT 0,
  total        INTEGER NOT NULL DEFAULT 0,
  filled       INTEGER NOT NULL DEFAULT 0,
  suggested    INTEGER NOT NULL DEFAULT 0,
  error        TEXT,
  notes        TEXT NOT NULL DEFAULT '[]',
  attempts     INTEGER NOT NULL DEFAULT 0,
  created_at   TEXT NOT NULL,
  started_at   TEXT,
  finished_at  TEXT,
  heartbeat_at TEXT
);
CREATE INDEX jobs_by_state ON jobs(state, seq);

-- Where each enriched value came from. `kind`: `value` (written on the person or its
-- company), `fact` (derived, not a person field: phone country/type, avatar URL), `flag`
-- (a warning such as an implausible birthday; never written). `value` is JSON.
CREATE TABLE provenance (
  seq         INTEGER PRIMARY KEY,
  person_id   TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  field       TEXT NOT NULL,
  value       TEXT NOT NULL,
  source      TEXT NOT NULL,
  confidence  REAL NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('value', 'fact', 'flag')),
  detail      TEXT,
  job_id      TEXT,
  recorded_at TEXT NOT NULL
);
CREATE INDEX provenance_by_person ON provenance(person_id, field, seq);

-- A proposed value that conflicts with what the user entered: accepted or rejected by the
-- user, never applied silently. A (person, field, value) is proposed once, whatever the
-- answer, so a rejected value does not come back on the next run.
CREATE TABLE suggestions (
  seq            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  person_id      TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  field          TEXT NOT NULL,
  current_value  TEXT NOT NULL,
  proposed_value TEXT NOT NULL,
  source         TEXT NOT NULL,
  confidence     REAL NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
  job_id         TEXT,
  created_at     TEXT NOT NULL,
  decided_at     TEXT
);
CREATE UNIQUE INDEX suggestions_once ON suggestions(person_id, field, proposed_value);
CREATE INDEX suggestions_by_state ON suggestions(state, person_id, seq);

-- What enrichment changed on a person: fills of empty fields and accepted suggestions.
CREATE TABLE person_history (
  seq           INTEGER PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  person_id     TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  field         TEXT NOT NULL,
  old_value     TEXT NOT NULL,
  new_value     TEXT NOT NULL,
  source        TEXT NOT NULL,
  origin        TEXT NOT NULL CHECK (origin IN ('enrichment', 'suggestion')),
  job_id        TEXT,
  suggestion_id TEXT,
  changed_at    TEXT NOT NULL
);
CREATE INDEX person_history_by_person ON person_history(person_id, seq);
