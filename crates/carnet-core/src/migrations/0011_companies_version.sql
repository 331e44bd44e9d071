-- A value that changes whenever a company's id, name or trash state does, so a connection
-- can keep every company's name in memory for pages of people and know when to load them
-- again (`company_names`). Random rather than counted: a change rolled back and another
-- one made after it never give the same value twice.
CREATE TABLE companies_version (v INTEGER NOT NULL);
INSERT INTO companies_version (v) VALUES (random());

CREATE TRIGGER companies_version_insert AFTER INSERT ON companies BEGIN
  UPDATE companies_version SET v = random();
END;
CREATE TRIGGER companies_version_update AFTER UPDATE OF id, name, deleted_at ON companies BEGIN
  UPDATE companies_version SET v = random();
END;
CREATE TRIGGER companies_version_delete AFTER DELETE ON companies BEGIN
  UPDATE companies_version SET v = random();
END;
