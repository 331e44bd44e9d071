-- Carnet schema: sync to hosted CRMs (crates/carnet-sync). Append-only: never edit a
-- migration that has shipped; add a new file instead.
--
-- `sync_accounts` holds everything about a CRM account except its token, which lives in
-- the OS keyring (or, headless, in CARNET_SYNC_TOKEN): never in this file.
-- `sync_links` ties a person to its remote record per account, with a hash (and copy)
-- of the last payload pushed: an unchanged payload sends nothing, a changed one sends
-- only the difference to `remote_id`. `state` is `synced`, or `pending` / `failed` when
-- the last push did not go through (the edit stays pending for the next push).
-- `sync_runs` / `sync_run_items` are the readable log of each push.

CREATE TABLE sync_accounts (
  id           TEXT PRIMARY KEY,
  provider     TEXT NOT NULL CHECK (provider IN ('introzy', 'folk', 'allo', 'pipedrive')),
  display_name TEXT NOT NULL,
  base_url     TEXT NOT NULL,
  settings     TEXT NOT NULL DEFAULT '{}',
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX sync_accounts_name ON sync_accounts(display_name);

CREATE TABLE sync_links (
  person_id        TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  account_id       TEXT NOT NULL REFERENCES sync_accounts(id) ON DELETE CASCADE,
  remote_id        TEXT,
  payload_hash     TEXT,
  payload          TEXT,
  pushed_at        TEXT,
  local_updated_at TEXT,
  state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('synced', 'pending', 'failed')),
  last_error       TEXT,
  PRIMARY KEY (person_id, account_id)
);
CREATE INDEX sync_links_remote ON sync_links(account_id, remote_id);

CREATE TABLE sync_runs (
  id          TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL REFERENCES sync_accounts(id) ON DELETE CASCADE,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  dry_run     INTEGER NOT NULL DEFAULT 0,
  status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'failed')),
  total       INTEGER NOT NULL DEFAULT 0,
  created     INTEGER NOT NULL DEFAULT 0,
  updated     INTEGER NOT NULL DEFAULT 0,
  unchanged   INTEGER NOT NULL DEFAULT 0,
  skipped     INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  error       TEXT
);
CREATE INDEX sync_runs_by_account ON sync_runs(account_id, started_at);

CREATE TABLE sync_run_items (
  run_id      TEXT NOT NULL REFERENCES sync_runs(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  person_id   TEXT NOT NULL,
  person_name TEXT NOT NULL,
  outcome     TEXT NOT NULL CHECK (outcome IN ('created', 'updated', 'unchanged', 'skipped', 'failed')),
  remote_id   TEXT,
  reason      TEXT,
  dropped     TEXT NOT NULL DEFAULT '[]',
  payload     TEXT,
  PRIMARY KEY (run_id, position)
);
