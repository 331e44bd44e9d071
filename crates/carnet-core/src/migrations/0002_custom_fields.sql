-- Carnet schema v2: custom-field definitions (the schema of `customFields` on people and
-- companies). Append-only: never edit a migration that has shipped; add a new file instead.
--
-- `key` is unique across both entities, so a key alone names one field (the CLI and the
-- core API address fields by key). `group_name` is the field's group (folk-style);
-- `options` is the JSON list of select options `[{"label": "..."}]`, in display order.

CREATE TABLE field_defs (
  seq         INTEGER PRIMARY KEY,
  entity      TEXT NOT NULL CHECK (entity IN ('person', 'company')),
  key         TEXT NOT NULL UNIQUE,
  label       TEXT NOT NULL,
  type        TEXT NOT NULL CHECK (type IN ('text', 'long_text', 'number', 'date', 'boolean',
                'url', 'email', 'phone', 'single_select', 'multi_select', 'person_ref', 'company_ref')),
  required    INTEGER NOT NULL DEFAULT 0,
  group_name  TEXT,
  position    INTEGER NOT NULL,
  description TEXT,
  options     TEXT NOT NULL DEFAULT '[]',
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
-- Listing a schema in display order.
CREATE INDEX field_defs_order ON field_defs(entity, position, seq);

-- Databases written before schemas existed may hold `cf_` values with no definition.
-- Adopt them so existing data stays valid: strings -> text, numbers -> number, booleans
-- -> boolean, lists -> multi_select (options = the strings found), anything mixed ->
-- long_text. A key used on both people and companies is adopted for people only (keys
-- are unique); the company values are kept and shown but cannot be written until the
-- field is defined under another key.
INSERT OR IGNORE INTO field_defs (entity, key, label, type, required, group_name, position, description, options, created_at, updated_at)
SELECT entity, k,
       upper(substr(replace(substr(k, 4), '_', ' '), 1, 1)) || substr(replace(substr(k, 4), '_', ' '), 2),
       CASE WHEN sum(jt <> 'text') = 0 THEN 'text'
            WHEN sum(jt NOT IN ('integer', 'real')) = 0 THEN 'number'
            WHEN sum(jt NOT IN ('true', 'false')) = 0 THEN 'boolean'
            WHEN sum(jt <> 'array') = 0 THEN 'multi_select'
            ELSE 'long_text' END,
       0, NULL, row_number() OVER (PARTITION BY entity ORDER BY k) - 1,
       'Adopted from existing values when custom-field schemas were introduced.', '[]',
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM (
  SELECT 'person' AS entity, j.key AS k, j.type AS jt FROM people p, json_each(p.custom_fields) j
  UNION ALL
  SELECT 'company', j.key, j.type FROM companies c, json_each(c.custom_fields) j
)
WHERE k GLOB 'cf_[a-z0-9]*' AND jt <> 'null'
GROUP BY entity, k
-- People first, so a key on both keeps its person definition.
ORDER BY entity DESC, k;

-- Options of adopted multi-selects: every distinct string found in their lists.
UPDATE field_defs SET options = (
  SELECT coalesce(json_group_array(json_object('label', v)), '[]') FROM (
    SELECT DISTINCT e.value AS v
    FROM people p, json_each(p.custom_fields) j, json_each(j.value) e
    WHERE field_defs.entity = 'person' AND j.key = field_defs.key AND j.type = 'array' AND e.type = 'text'
    UNION
    SELECT DISTINCT e.value AS v
    FROM companies c, json_each(c.custom_fields) j, json_each(j.value) e
    WHERE field_defs.entity = 'company' AND j.key = field_defs.key AND j.type = 'array' AND e.type = 'text'
    ORDER BY v
  )
)
WHERE type = 'multi_select';
