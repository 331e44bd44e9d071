//! The `field_defs` table: reading, creating, changing and deleting field definitions.
//!
//! Every schema change runs in one transaction with the rewrite of the values it touches,
//! so a refused or failed change leaves schema and data as they were. `plan_*` calls run
//! the same code and roll back: the UI shows their counts before asking to confirm.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::convert::{self, Outcome};
use super::{FieldChangeReport, FieldChanges, FieldDef, FieldEntity, FieldOption, NewField};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::text::fold;

pub const MAX_FIELD_LABEL: usize = 100;
pub const MAX_FIELD_DESCRIPTION: usize = 1000;
pub const MAX_GROUP: usize = 100;
pub const MAX_OPTIONS: usize = 500;
pub const MAX_OPTION_LABEL: usize = 100;
/// Fields per entity (a schema, not a spreadsheet).
pub const MAX_FIELDS: usize = 500;
/// Keys stay short enough for a `_NN` suffix within `validate::custom_key`'s 64.
const MAX_KEY_BASE: usize = 58;

const COLS: &str = "key, entity, label, type, required, group_name, position, description, options, created_at, updated_at";

fn from_row(r: &Row) -> rusqlite::Result<FieldDef> {
    let bad = |i: usize, what: &str, v: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("field_defs.{what}: unknown value {v:?}").into(),
        )
    };
    let entity: String = r.get(1)?;
    let ty: String = r.get(3)?;
    let options: String = r.get(8)?;
    Ok(FieldDef {
        key: r.get(0)?,
        entity: FieldEntity::parse(&entity).ok_or_else(|| bad(1, "entity", &entity))?,
        label: r.get(2)?,
        field_type: super::FieldType::parse(&ty).ok_or_else(|| bad(3, "type", &ty))?,
        required: r.get(4)?,
        group: r.get(5)?,
        position: r.get(6)?,
        description: r.get(7)?,
        options: serde_json::from_str(&options).map_err(|_| bad(8, "options", &options))?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

/// One definition by key.
pub(crate) fn load(conn: &Connection, key: &str) -> Result<Option<FieldDef>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLS} FROM field_defs WHERE key = ?1"))?
        .query_row([key], from_row)
        .optional()?)
}

/// The definitions of an entity (or all), in display order.
pub(crate) fn list(conn: &Connection, entity: Option<FieldEntity>) -> Result<Vec<FieldDef>> {
    let sql = format!(
        "SELECT {COLS} FROM field_defs WHERE ?1 IS NULL OR entity = ?1 ORDER BY entity DESC, position, seq"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st.query_map([entity.map(FieldEntity::as_str)], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The required definitions of an entity (checked on every write, so a narrow query).
pub(crate) fn required(conn: &Connection, entity: FieldEntity) -> Result<Vec<FieldDef>> {
    let sql = format!(
        "SELECT {COLS} FROM field_defs WHERE entity = ?1 AND required <> 0 ORDER BY position, seq"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st.query_map([entity.as_str()], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn save(conn: &Connection, d: &FieldDef) -> Result<()> {
    conn.prepare_cached(
        "UPDATE field_defs SET label=?2, type=?3, required=?4, group_name=?5, description=?6, options=?7, updated_at=?8 WHERE key=?1",
    )?
    .execute(params![
        d.key,
        d.label,
        d.field_type.as_str(),
        d.required,
        d.group,
        d.description,
        options_json(&d.options)?,
        d.updated_at
    ])?;
    Ok(())
}

fn options_json(o: &[FieldOption]) -> Result<String> {
    serde_json::to_string(o).map_err(|e| Error::internal(format!("cannot encode options: {e}")))
}

/// Trim; blank is `None`; at most `max` characters.
fn clean_opt(field: &str, v: Option<&str>, max: usize) -> Result<Option<String>> {
    let v = v.and_then(crate::text::clean);
    if let Some(s) = &v {
        let n = s.chars().count();
        if n > max {
            return Err(Error::validation(
                field,
                format!("is {n} characters long; at most {max} are allowed"),
            ));
        }
    }
    Ok(v)
}

/// A label: not blank, not too long, and no other field of the entity has it (ignoring
/// case and accents), since folk-style payloads name fields by label.
fn check_label(
    conn: &Connection,
    entity: FieldEntity,
    label: &str,
    except: Option<&str>,
) -> Result<String> {
    let label = clean_opt("label", Some(label), MAX_FIELD_LABEL)?
        .ok_or_else(|| Error::validation("label", "is required"))?;
    let folded = fold(&label);
    if let Some(other) = list(conn, Some(entity))?
        .into_iter()
        .find(|d| fold(&d.label) == folded && Some(d.key.as_str()) != except)
    {
        return Err(Error::conflict(
            "label",
            format!(
                "the {} field {} is already labelled \"{}\"",
                entity.as_str(),
                other.key,
                other.label
            ),
            &other.key,
        ));
    }
    Ok(label)
}

/// Check an option list: labels not blank, not too long, not repeated (ignoring case).
pub(crate) fn check_options(field: &str, options: &[FieldOption]) -> Result<Vec<FieldOption>> {
    if options.len() > MAX_OPTIONS {
        return Err(Error::validation(
            field,
            format!(
                "has {} options; at most {MAX_OPTIONS} are allowed",
                options.len()
            ),
        ));
    }
    let mut out: Vec<FieldOption> = Vec::with_capacity(options.len());
    for (i, o) in options.iter().enumerate() {
        let path = format!("{field}[{i}].label");
        let label = clean_opt(&path, Some(&o.label), MAX_OPTION_LABEL)?
            .ok_or_else(|| Error::validation(&path, "must not be blank"))?;
        if let Some(j) = out.iter().position(|p| fold(&p.label) == fold(&label)) {
            return Err(Error::validation(
                path,
                format!("\"{label}\" repeats option {j} (\"{}\")", out[j].label),
            ));
        }
        let color = clean_opt(&format!("{field}[{i}].color"), o.color.as_deref(), 30)?;
        out.push(FieldOption { label, color });
    }
    Ok(out)
}

/// `cf_` + snake case of the label, with `_2`, `_3`... when the key is taken by any field.
fn new_key(conn: &Connection, label: &str) -> Result<String> {
    let mut base = crate::input::field_key(label);
    if crate::validate::custom_key(&base).is_err() {
        // A label that itself starts with `cf_` but is not a key (`cf_Région`).
        base = crate::input::field_key(&label.replacen("cf_", " ", 1));
    }
    if base.len() > MAX_KEY_BASE {
        base.truncate(MAX_KEY_BASE);
        while base.ends_with('_') {
            base.pop();
        }
    }
    if crate::validate::custom_key(&base).is_err() {
        return Err(Error::validation(
            "label",
            "needs at least one letter or digit to make the field's key from",
        ));
    }
    let mut key = base.clone();
    let mut n = 2;
    while load(conn, &key)?.is_some() {
        key = format!("{base}_{n}");
        n += 1;
    }
    Ok(key)
}

/// Move `key` to `position` among its entity's fields and renumber them 0..n.
fn reposition(conn: &Connection, entity: FieldEntity, key: &str, position: u32) -> Result<()> {
    let mut keys: Vec<String> = list(conn, Some(entity))?
        .into_iter()
        .map(|d| d.key)
        .filter(|k| k != key)
        .collect();
    let at = (position as usize).min(keys.len());
    keys.insert(at, key.to_string());
    let mut st = conn.prepare_cached("UPDATE field_defs SET position = ?2 WHERE key = ?1")?;
    for (i, k) in keys.iter().enumerate() {
        st.execute(params![k, i as i64])?;
    }
    Ok(())
}

fn not_found(key: &str) -> Error {
    Error::new(
        crate::ErrorCode::NotFound,
        Some("key".into()),
        format!("No custom field with key {key}."),
    )
}

impl Store {
    /// The field definitions of people, of companies, or (`None`) of both, in display order.
    pub fn list_fields(&self, entity: Option<FieldEntity>) -> Result<Vec<FieldDef>> {
        list(&self.conn, entity)
    }

    /// One field definition by key.
    pub fn get_field(&self, key: &str) -> Result<FieldDef> {
        load(&self.conn, key)?.ok_or_else(|| not_found(key))
    }

    /// How many records (trash included) hold a value for this field.
    pub fn count_field_values(&self, key: &str) -> Result<u32> {
        let def = self.get_field(key)?;
        Ok(convert::records_with_value(&self.conn, &def)?.len() as u32)
    }

    /// Define a new field. Its key is made from the label and never changes.
    pub fn create_field(&mut self, new: &NewField) -> Result<FieldDef> {
        let tx = self.conn.transaction()?;
        let label = check_label(&tx, new.entity, &new.label, None)?;
        if !new.field_type.is_select() && !new.options.is_empty() {
            return Err(Error::validation(
                "options",
                format!(
                    "only select fields have options, not {} fields",
                    new.field_type.as_str()
                ),
            ));
        }
        let options = check_options("options", &new.options)?;
        let group = clean_opt("group", new.group.as_deref(), MAX_GROUP)?;
        let description = clean_opt(
            "description",
            new.description.as_deref(),
            MAX_FIELD_DESCRIPTION,
        )?;
        let count = list(&tx, Some(new.entity))?.len();
        if count >= MAX_FIELDS {
            return Err(Error::validation(
                "key",
                format!(
                    "{} already have {MAX_FIELDS} custom fields",
                    new.entity.plural()
                ),
            ));
        }
        let key = new_key(&tx, &label)?;
        let now = crate::db::now();
        tx.prepare_cached(&format!(
            "INSERT INTO field_defs ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)"
        ))?
        .execute(params![
            key,
            new.entity.as_str(),
            label,
            new.field_type.as_str(),
            new.required,
            group,
            count as i64,
            description,
            options_json(&options)?,
            now
        ])?;
        if let Some(p) = new.position {
            reposition(&tx, new.entity, &key, p)?;
        }
        let def = load(&tx, &key)?.ok_or_else(|| not_found(&key))?;
        tx.commit()?;
        Ok(def)
    }

    /// What [`Store::update_field`] would do, without writing anything.
    pub fn plan_field_update(
        &mut self,
        key: &str,
        changes: &FieldChanges,
    ) -> Result<FieldChangeReport> {
        let tx = self.conn.transaction()?;
        // Dropping the transaction rolls the trial run back.
        change(&tx, key, changes, true, false)
    }

    /// Change a field. Renaming the label keeps every value; renamed options carry their
    /// values along; a type change converts what converts. Values that would be lost
    /// (removed options, values that do not convert) refuse the change with their count
    /// unless `force`, which removes them.
    pub fn update_field(
        &mut self,
        key: &str,
        changes: &FieldChanges,
        force: bool,
    ) -> Result<FieldChangeReport> {
        let tx = self.conn.transaction()?;
        let report = change(&tx, key, changes, force, true)?;
        tx.commit()?;
        Ok(report)
    }

    /// What [`Store::delete_field`] would remove, without writing anything.
    pub fn plan_field_delete(&mut self, key: &str) -> Result<FieldChangeReport> {
        let tx = self.conn.transaction()?;
        delete(&tx, key, true, false)
    }

    /// Delete a field and every value of it. Always needs `force`; without it the error
    /// says how many values would go.
    pub fn delete_field(&mut self, key: &str, force: bool) -> Result<FieldChangeReport> {
        let tx = self.conn.transaction()?;
        let report = delete(&tx, key, force, true)?;
        tx.commit()?;
        Ok(report)
    }
}

fn empty_report(field: FieldDef, applied: bool) -> FieldChangeReport {
    FieldChangeReport {
        field,
        applied,
        values: 0,
        values_changed: 0,
        values_removed: 0,
        options_added: vec![],
        missing_required: 0,
        problems: vec![],
    }
}

fn delete(conn: &Connection, key: &str, force: bool, apply: bool) -> Result<FieldChangeReport> {
    let def = load(conn, key)?.ok_or_else(|| not_found(key))?;
    let records = convert::records_with_value(conn, &def)?;
    let n = records.len() as u32;
    if apply && !force {
        return Err(Error::validation(
            "force",
            format!(
                "deleting {key} (\"{}\") removes it from {n} {} that have a value; confirm with --force",
                def.label,
                if def.entity == FieldEntity::Person { "people" } else { "companies" }
            ),
        ));
    }
    let mut report = empty_report(def.clone(), apply);
    report.values = n;
    report.values_removed = n;
    if apply {
        for r in &records {
            convert::write_value(conn, &def, r, None)?;
        }
        conn.execute("DELETE FROM field_defs WHERE key = ?1", [key])?;
        reposition_all(conn, def.entity)?;
    }
    Ok(report)
}

fn reposition_all(conn: &Connection, entity: FieldEntity) -> Result<()> {
    let keys: Vec<String> = list(conn, Some(entity))?
        .into_iter()
        .map(|d| d.key)
        .collect();
    let mut st = conn.prepare_cached("UPDATE field_defs SET position = ?2 WHERE key = ?1")?;
    for (i, k) in keys.iter().enumerate() {
        st.execute(params![k, i as i64])?;
    }
    Ok(())
}

/// Apply `changes` to the definition and to every value of the field.
fn change(
    conn: &Connection,
    key: &str,
    ch: &FieldChanges,
    force: bool,
    apply: bool,
) -> Result<FieldChangeReport> {
    let old = load(conn, key)?.ok_or_else(|| not_found(key))?;
    let mut new = old.clone();
    if let Some(l) = &ch.label {
        new.label = check_label(conn, old.entity, l, Some(key))?;
    }
    if let Some(r) = ch.required {
        new.required = r;
    }
    if let Some(g) = &ch.group {
        new.group = clean_opt("group", g.as_deref(), MAX_GROUP)?;
    }
    if let Some(d) = &ch.description {
        new.description = clean_opt("description", d.as_deref(), MAX_FIELD_DESCRIPTION)?;
    }
    // Option renames, against the current options.
    let mut renames: Vec<(String, String)> = Vec::new();
    for (i, r) in ch.rename_options.iter().enumerate() {
        if !old.field_type.is_select() {
            return Err(Error::validation(
                format!("renameOptions[{i}]"),
                format!(
                    "{key} is a {} field and has no options",
                    old.field_type.as_str()
                ),
            ));
        }
        let at = new
            .options
            .iter()
            .position(|o| fold(&o.label) == fold(&r.from))
            .ok_or_else(|| {
                Error::validation(
                    format!("renameOptions[{i}].from"),
                    format!(
                        "\"{}\" is not an option of {key} ({})",
                        r.from,
                        option_list(&new.options)
                    ),
                )
            })?;
        let from = new.options[at].label.clone();
        new.options[at].label = r.to.clone();
        new.options = check_options("renameOptions", &new.options)
            .map_err(|e| Error::validation(format!("renameOptions[{i}].to"), e.message))?;
        renames.push((from, new.options[at].label.clone()));
    }
    let target = ch.field_type.unwrap_or(old.field_type);
    new.field_type = target;
    let mut removed_options: Vec<String> = Vec::new();
    if let Some(list) = &ch.options {
        if !target.is_select() {
            return Err(Error::validation(
                "options",
                format!(
                    "only select fields have options, not {} fields",
                    target.as_str()
                ),
            ));
        }
        let list = check_options("options", list)?;
        // An option listed again with another spelling (`lead` -> `Lead`) is a rename.
        for o in &new.options {
            if let Some(n) = list
                .iter()
                .find(|n| fold(&n.label) == fold(&o.label) && n.label != o.label)
            {
                renames.push((o.label.clone(), n.label.clone()));
            }
        }
        removed_options = new
            .options
            .iter()
            .filter(|o| !list.iter().any(|n| fold(&n.label) == fold(&o.label)))
            .map(|o| o.label.clone())
            .collect();
        new.options = list;
    } else if !target.is_select() {
        new.options.clear();
    }
    let type_changes = target != old.field_type;
    new.updated_at = crate::db::now();

    let mut report = empty_report(new.clone(), apply);
    let records = convert::records_with_value(conn, &old)?;
    report.values = records.len() as u32;
    // A conversion to a select without an explicit option list adopts the values found.
    let auto_options =
        type_changes && target.is_select() && !old.field_type.is_select() && ch.options.is_none();
    let known_options = new.options.len();
    let plan = convert::Plan {
        renames: &renames,
        removed: &removed_options,
        type_changes,
        auto_options,
    };
    let mut writes = Vec::new();
    for r in records {
        match plan.migrate(conn, &r.value, &mut new) {
            Outcome::Same => {}
            Outcome::Changed(v) => {
                report.values_changed += 1;
                writes.push((r, Some(v)));
            }
            Outcome::Lost(reason) => {
                report.values_removed += 1;
                if report.problems.len() < 10 {
                    report.problems.push(super::ValueProblem {
                        record_id: r.id.clone(),
                        record_name: r.name.clone(),
                        value: r.value.clone(),
                        reason,
                    });
                }
                writes.push((r, None));
            }
        }
    }
    report.options_added = new.options[known_options.min(new.options.len())..]
        .iter()
        .map(|o| o.label.clone())
        .collect();
    if report.values_removed > 0 && !force {
        let (field, why) = if type_changes {
            ("type", format!("cannot become {}", target.as_str()))
        } else {
            ("options", "use a removed option".to_string())
        };
        let sample = report
            .problems
            .first()
            .map(|p| format!(" (e.g. {} on {}: {})", p.value, p.record_name, p.reason))
            .unwrap_or_default();
        return Err(Error::validation(
            field,
            format!(
                "{} value(s) of {key} {why}{sample}; they would be removed: confirm with --force",
                report.values_removed
            ),
        ));
    }
    new.options = check_options("options", &new.options)?;
    save(conn, &new)?;
    for (r, v) in &writes {
        convert::write_value(conn, &new, r, v.clone())?;
    }
    if let Some(p) = ch.position {
        reposition(conn, new.entity, key, p)?;
    }
    report.field = load(conn, key)?.ok_or_else(|| not_found(key))?;
    if new.required {
        report.missing_required = convert::live_without_value(conn, &new)?;
    }
    Ok(report)
}

pub(crate) fn option_list(options: &[FieldOption]) -> String {
    if options.is_empty() {
        return "it has no options yet".into();
    }
    options
        .iter()
        .map(|o| o.label.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
