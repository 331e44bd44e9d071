-- The search index holds live people only (trash removes a person, restore adds it back),
-- so a search counts and pages over the index without visiting the people table.
DELETE FROM people_fts WHERE rowid IN (SELECT seq FROM people WHERE deleted_at IS NOT NULL);
-- Live people's name keys by row id: a search result page is sorted from this small
-- covering index instead of the wide rows.
CREATE INDEX people_live_key ON people(seq, sort_key) WHERE deleted_at IS NULL;
