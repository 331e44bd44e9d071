//! Custom-field schemas: typed, validated, grouped field definitions for people and companies.
//!
//! A [`FieldDef`] says what a `customFields` key of a person or a company may hold. This
//! module owns the definitions (table `field_defs`, migration 0002), the validation of
//! every custom value written (people `create_in`/`update_in`, companies create/update),
//! the safe schema changes (rename, option rename/removal, type conversion, delete) and
//! the filter/sort clauses of the people list. Non-goals: mapping to a CRM's own fields
//! (the sync engine does that) and display (the UI groups fields by `group`, `position`).
//!
//! Core API (all on [`crate::Store`]):
//! - `list_fields(Option<FieldEntity>) -> Result<Vec<FieldDef>>`: in display order.
//! - `get_field(key) -> Result<FieldDef>`; `count_field_values(key) -> Result<u32>`.
//! - `create_field(&NewField) -> Result<FieldDef>`: the key is `cf_` + snake case of the
//!   label (`input::field_key`), suffixed `_2`, `_3`... when taken; it never changes.
//! - `plan_field_update(key, &FieldChanges) -> Result<FieldChangeReport>`: a dry run.
//! - `update_field(key, &FieldChanges, force) -> Result<FieldChangeReport>`: refuses
//!   (`validation`, with the count) a change that would lose values unless `force`.
//! - `plan_field_delete(key)` / `delete_field(key, force)`: deleting always needs `force`;
//!   the report says how many values went with the field.
//! - People list: `PeopleQuery { filters: Vec<FieldFilter>, sort_field: Option<String> }`
//!   (`{key, op, value}`, ops `eq ne lt lte gt gte contains isSet isEmpty`).
//!
//! For a UI: call `plan_*` first and show its counts (`values`, `valuesChanged`,
//! `valuesRemoved`, `problems`, `optionsAdded`, `missingRequired`), then apply with
//! `force` once confirmed. An unforced change that would lose values fails with a
//! `validation` error at field `type` (conversion), `options` (removed options) or `force`
//! (delete). Label clashes are `conflict` at `label` (`existingId` = the other key).
//!
//! Value rules (see `values`): unknown key -> `validation` at `customFields.<key>`;
//! selects match option labels case- and accent-insensitively and store the option's own
//! label; numbers accept numeric strings and store numbers; dates are `YYYY-MM-DD`;
//! references must name a live record; `null`, `""` and `[]` unset. `required` is
//! enforced on create; on update a required value cannot be removed, and a record that
//! lacked it before the field became required can still be edited (the person gets a
//! `missing_required` warning) — otherwise adding a required field would lock every
//! existing record. A reference to a trashed record is kept (restoring it brings the link
//! back); purging a person or company removes the references to it.

mod convert;
mod defs;
pub(crate) mod query;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_schema;
pub(crate) mod values;

pub(crate) use convert::drop_references;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// The kind of record a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FieldEntity {
    #[default]
    Person,
    Company,
}

impl FieldEntity {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldEntity::Person => "person",
            FieldEntity::Company => "company",
        }
    }

    /// Parse `person`/`people`/`company`/`companies`.
    pub fn parse(s: &str) -> Option<FieldEntity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "person" | "people" => Some(FieldEntity::Person),
            "company" | "companies" => Some(FieldEntity::Company),
            _ => None,
        }
    }

    /// The plural noun for messages.
    pub fn plural(self) -> &'static str {
        match self {
            FieldEntity::Person => "people",
            FieldEntity::Company => "companies",
        }
    }
}

/// What a custom field holds. The wire and database names are snake case (`long_text`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// One line of text (at most 1,000 characters).
    Text,
    /// Free text (at most 10,000 characters).
    LongText,
    /// A JSON number; numeric strings are accepted and stored as numbers.
    Number,
    /// `YYYY-MM-DD`.
    Date,
    Boolean,
    Url,
    Email,
    Phone,
    /// One option label.
    SingleSelect,
    /// A list of option labels.
    MultiSelect,
    /// The id of a live person.
    PersonRef,
    /// The id of a live company.
    CompanyRef,
}

impl FieldType {
    pub const ALL: [FieldType; 12] = [
        FieldType::Text,
        FieldType::LongText,
        FieldType::Number,
        FieldType::Date,
        FieldType::Boolean,
        FieldType::Url,
        FieldType::Email,
        FieldType::Phone,
        FieldType::SingleSelect,
        FieldType::MultiSelect,
        FieldType::PersonRef,
        FieldType::CompanyRef,
    ];

    /// The wire name: `text`, `long_text`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::LongText => "long_text",
            FieldType::Number => "number",
            FieldType::Date => "date",
            FieldType::Boolean => "boolean",
            FieldType::Url => "url",
            FieldType::Email => "email",
            FieldType::Phone => "phone",
            FieldType::SingleSelect => "single_select",
            FieldType::MultiSelect => "multi_select",
            FieldType::PersonRef => "person_ref",
            FieldType::CompanyRef => "company_ref",
        }
    }

    /// Parse a wire name; `-` and spaces count as `_`, case ignored (`multi-select`).
    pub fn parse(s: &str) -> Option<FieldType> {
        let n = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        FieldType::ALL.into_iter().find(|t| t.as_str() == n)
    }

    /// Whether the field has an option list.
    pub fn is_select(self) -> bool {
        matches!(self, FieldType::SingleSelect | FieldType::MultiSelect)
    }

    /// What a value must be, for messages (`a number`, `one of the options`...).
    pub fn expected(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::LongText => "long text",
            FieldType::Number => "a number",
            FieldType::Date => "a date (YYYY-MM-DD)",
            FieldType::Boolean => "true or false",
            FieldType::Url => "a web address",
            FieldType::Email => "an email address",
            FieldType::Phone => "a phone number",
            FieldType::SingleSelect => "one of the options",
            FieldType::MultiSelect => "a list of options",
            FieldType::PersonRef => "the id of a person",
            FieldType::CompanyRef => "the id of a company",
        }
    }
}

/// One option of a select field. Values store the option's `label`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FieldOption {
    pub label: String,
    /// A display colour (free text such as `#ff8800` or `green`), for the UI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

impl FieldOption {
    pub fn new(label: impl Into<String>) -> Self {
        FieldOption {
            label: label.into(),
            color: None,
        }
    }
}

/// A custom-field definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FieldDef {
    /// `cf_` + snake case; stable forever, unique across people and companies.
    pub key: String,
    pub entity: FieldEntity,
    pub label: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    pub required: bool,
    /// The group the field is shown in (folk-style), if any.
    pub group: Option<String>,
    /// Display order within the entity's fields, from 0.
    pub position: u32,
    pub description: Option<String>,
    /// Options of a select field, in display order (empty for other types).
    pub options: Vec<FieldOption>,
    pub created_at: String,
    pub updated_at: String,
}

/// A field to create. Only `label` and `type` are needed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NewField {
    #[serde(default)]
    pub entity: FieldEntity,
    pub label: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub options: Vec<FieldOption>,
    /// Where to insert it (default: last).
    #[serde(default)]
    pub position: Option<u32>,
}

impl NewField {
    /// A person field with just a label and a type.
    pub fn new(label: impl Into<String>, field_type: FieldType) -> Self {
        NewField {
            entity: FieldEntity::Person,
            label: label.into(),
            field_type,
            required: false,
            group: None,
            description: None,
            options: vec![],
            position: None,
        }
    }
}

/// Rename a select option: every value using `from` now uses `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OptionRename {
    pub from: String,
    pub to: String,
}

/// A change to a field definition. Absent members keep; `group`/`description` `null` unsets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct FieldChanges {
    pub label: Option<String>,
    #[serde(rename = "type")]
    pub field_type: Option<FieldType>,
    pub required: Option<bool>,
    // The wire type is the same as without `deserialize_with` (absent, null or a string).
    #[serde(deserialize_with = "double_option")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub group: Option<Option<String>>,
    #[serde(deserialize_with = "double_option")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub description: Option<Option<String>>,
    /// Move the field to this display position (0 = first).
    pub position: Option<u32>,
    /// Rename options (applied first); values follow.
    pub rename_options: Vec<OptionRename>,
    /// The new option list, in order. Options no longer listed are removed, and so are
    /// the values using them (refused without `force`).
    pub options: Option<Vec<FieldOption>>,
}

fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A value a schema change could not keep (a sample; the counts are in the report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ValueProblem {
    pub record_id: String,
    /// The record's display name.
    pub record_name: String,
    pub value: Value,
    pub reason: String,
}

/// What a schema change did (or, from a `plan_*` call, would do).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FieldChangeReport {
    /// The field after the change (before it, for a delete).
    pub field: FieldDef,
    /// False for a plan (dry run): nothing was written.
    pub applied: bool,
    /// Records (people or companies, trash included) holding a value before the change.
    pub values: u32,
    /// Values rewritten: converted to the new type or following an option rename.
    pub values_changed: u32,
    /// Values removed: not convertible, using a removed option, or the field was deleted.
    pub values_removed: u32,
    /// Options added by a conversion to a select (the distinct values found).
    pub options_added: Vec<String>,
    /// Live records without a value for a required field (they can still be edited).
    pub missing_required: u32,
    /// Up to 10 of the values that would be removed, with why.
    pub problems: Vec<ValueProblem>,
}

/// How a [`FieldFilter`] compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum FilterOp {
    /// Equal (text ignores ASCII case; a multi-select contains the option).
    #[default]
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    /// Text contains (case-insensitive); a multi-select contains the option.
    Contains,
    /// Has a value.
    IsSet,
    /// Has no value.
    IsEmpty,
}

/// A condition on a custom-field value of a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FieldFilter {
    pub key: String,
    #[serde(default)]
    pub op: FilterOp,
    /// Compared after the field's own parsing (`"42"` is a number for a number field).
    #[serde(default)]
    pub value: Value,
}

impl FieldFilter {
    /// `key = value`.
    pub fn eq(key: impl Into<String>, value: impl Into<Value>) -> Self {
        FieldFilter {
            key: key.into(),
            op: FilterOp::Eq,
            value: value.into(),
        }
    }
}
