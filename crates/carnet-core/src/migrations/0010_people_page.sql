-- The people list in name order reads its rows from this index alone: every column a page
-- returns is in it, in name order, so a page of 50 is a few consecutive leaf pages instead
-- of 50 seeks into rows stored in the order they were added.
CREATE INDEX people_page ON people(deleted_at, sort_key, seq, id, first_name, last_name, full_name,
  full_name_set, job_title, description, birthday, emails, phones, addresses, urls, tags, custom_fields,
  latitude, longitude, created_at, updated_at);
