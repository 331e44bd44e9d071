-- Live and trashed people counts, kept by triggers in the same transaction as each write,
-- so an unfiltered list knows its total without counting 100,000 index entries.
CREATE TABLE people_counts (
  trashed INTEGER PRIMARY KEY,
  n       INTEGER NOT NULL
);
INSERT INTO people_counts (trashed, n) VALUES
  (0, (SELECT count(*) FROM people WHERE deleted_at IS NULL)),
  (1, (SELECT count(*) FROM people WHERE deleted_at IS NOT NULL));

CREATE TRIGGER people_counts_insert AFTER INSERT ON people BEGIN
  UPDATE people_counts SET n = n + 1 WHERE trashed = (NEW.deleted_at IS NOT NULL);
END;
CREATE TRIGGER people_counts_delete AFTER DELETE ON people BEGIN
  UPDATE people_counts SET n = n - 1 WHERE trashed = (OLD.deleted_at IS NOT NULL);
END;
CREATE TRIGGER people_counts_trash AFTER UPDATE OF deleted_at ON people
  WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) BEGIN
  UPDATE people_counts SET n = n - 1 WHERE trashed = (OLD.deleted_at IS NOT NULL);
  UPDATE people_counts SET n = n + 1 WHERE trashed = (NEW.deleted_at IS NOT NULL);
END;
