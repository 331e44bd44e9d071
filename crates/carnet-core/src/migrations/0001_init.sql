-- Carnet schema v1: people, companies, notes, settings, and the search index.
-- Append-only: never edit a migration that has shipped; add a new file instead.

CREATE TABLE companies (
  seq           INTEGER PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  name_norm     TEXT NOT NULL,
  domain        TEXT,
  website       TEXT,
  industry      TEXT,
  custom_fields TEXT NOT NULL DEFAULT '{}',
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  deleted_at    TEXT
);
CREATE UNIQUE INDEX companies_name_live ON companies(name_norm) WHERE deleted_at IS NULL;
CREATE INDEX companies_sort ON companies(deleted_at, name_norm);

CREATE TABLE people (
  seq           INTEGER PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  first_name    TEXT,
  last_name     TEXT,
  full_name     TEXT NOT NULL,
  full_name_set INTEGER NOT NULL DEFAULT 0,
  job_title     TEXT,
  description   TEXT,
  birthday      TEXT,
  emails        TEXT NOT NULL DEFAULT '[]',
  phones        TEXT NOT NULL DEFAULT '[]',
  addresses     TEXT NOT NULL DEFAULT '[]',
  urls          TEXT NOT NULL DEFAULT '[]',
  tags          TEXT NOT NULL DEFAULT '[]',
  custom_fields TEXT NOT NULL DEFAULT '{}',
  latitude      REAL,
  longitude     REAL,
  sort_key      TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  deleted_at    TEXT
);
CREATE INDEX people_by_name ON people(deleted_at, sort_key, seq);
CREATE INDEX people_by_created ON people(deleted_at, created_at, seq);
CREATE INDEX people_by_updated ON people(deleted_at, updated_at, seq);

-- Companies of a person, in order (position 0 is the primary company).
CREATE TABLE person_companies (
  person_seq  INTEGER NOT NULL REFERENCES people(seq) ON DELETE CASCADE,
  company_seq INTEGER NOT NULL REFERENCES companies(seq) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  PRIMARY KEY (person_seq, company_seq)
);
CREATE INDEX person_companies_company ON person_companies(company_seq);

-- Lookup tables derived from the person's lists: uniqueness and duplicate checks.
CREATE TABLE person_emails (
  person_seq INTEGER NOT NULL REFERENCES people(seq) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  email_norm TEXT NOT NULL,
  PRIMARY KEY (person_seq, position)
);
CREATE INDEX person_emails_norm ON person_emails(email_norm);

CREATE TABLE person_phones (
  person_seq INTEGER NOT NULL REFERENCES people(seq) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  phone_key  TEXT NOT NULL, -- E.164 when known, else the digits
  PRIMARY KEY (person_seq, position)
);
CREATE INDEX person_phones_key ON person_phones(phone_key);

CREATE TABLE person_tags (
  person_seq INTEGER NOT NULL REFERENCES people(seq) ON DELETE CASCADE,
  tag_norm   TEXT NOT NULL,
  PRIMARY KEY (person_seq, tag_norm)
);
CREATE INDEX person_tags_tag ON person_tags(tag_norm);

CREATE TABLE notes (
  seq        INTEGER PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE,
  person_seq INTEGER NOT NULL REFERENCES people(seq) ON DELETE CASCADE,
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX notes_by_person ON notes(person_seq, created_at);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Full-text index of people (rowid = people.seq), kept in step by the store in the same
-- transaction as each write. Diacritics removed, so `Zoe` finds `Zoë`.
CREATE VIRTUAL TABLE people_fts USING fts5(
  name, emails, phones, companies, other,
  content = '',
  contentless_delete = 1,
  tokenize = "unicode61 remove_diacritics 2",
  prefix = '2 3'
);
