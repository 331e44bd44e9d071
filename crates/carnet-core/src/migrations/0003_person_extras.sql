-- vCard leftovers per person: what a vCard carries that a person has no field for
-- (UID, name prefixes/suffixes, ORG units, PHOTO, NICKNAME, X- properties), kept so an
-- export gives it back and a re-import matches by UID. See interchange/extras.rs.
CREATE TABLE person_extras (
  person_seq INTEGER PRIMARY KEY REFERENCES people(seq) ON DELETE CASCADE,
  uid        TEXT,                       -- the UID as imported; NULL when none
  vcard      TEXT NOT NULL DEFAULT '{}'  -- JSON {uid, nameParts, orgUnits, lines}
);
CREATE INDEX person_extras_uid ON person_extras(uid) WHERE uid IS NOT NULL;
