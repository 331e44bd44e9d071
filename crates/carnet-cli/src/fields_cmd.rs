//! `carnet fields ...`: the custom-field schema from the command line, and the parsing of
//! `carnet people list --filter cf_x=value`.
//!
//! Grammar (DESIGN.md "CLI contract"):
//! `fields list [--entity person|company] [--json]`, `fields show KEY [--json]`,
//! `fields add --label L --type T [--options A,B,C] [--group G] [--required]
//! [--description D] [--entity person|company] [--position N] [--json]`,
//! `fields update KEY [--label L] [--options A,B] [--rename-option OLD=NEW]... [--type T]
//! [--required true|false] [--group G] [--description D] [--position N] [--force]
//! [--dry-run] [--json]`, `fields delete KEY [--force] [--dry-run] [--json]`.
//! A change that would lose values exits 2 with the count unless `--force`; `--dry-run`
//! prints what a change would do and writes nothing.

use carnet_core::{
    Error, FieldChangeReport, FieldChanges, FieldDef, FieldEntity, FieldFilter, FieldOption,
    FieldType, FilterOp, NewField, OptionRename, Result, Store,
};
use clap::Subcommand;
use serde_json::Value;

use crate::output;

fn parse_type(s: &str) -> std::result::Result<FieldType, String> {
    FieldType::parse(s).ok_or_else(|| {
        let all: Vec<&str> = FieldType::ALL.iter().map(|t| t.as_str()).collect();
        format!("unknown field type \"{s}\" (one of: {})", all.join(", "))
    })
}

fn parse_entity(s: &str) -> std::result::Result<FieldEntity, String> {
    FieldEntity::parse(s).ok_or_else(|| format!("\"{s}\" is not person or company"))
}

#[derive(Subcommand, Debug)]
pub enum FieldsCmd {
    /// List the custom fields of people and companies (or of one entity), in display order.
    List {
        #[arg(long, value_parser = parse_entity)]
        entity: Option<FieldEntity>,
        #[arg(long)]
        json: bool,
    },
    /// Show one field and how many records have a value for it.
    Show {
        key: String,
        #[arg(long)]
        json: bool,
    },
    /// Define a field; its key (cf_ + snake case of the label) is printed and never changes.
    Add {
        #[arg(long)]
        label: String,
        /// text, long_text, number, date, boolean, url, email, phone, single_select,
        /// multi_select, person_ref, company_ref.
        #[arg(long = "type", value_parser = parse_type)]
        field_type: FieldType,
        /// Options of a select, in order: A,B,C.
        #[arg(long, value_name = "A,B,C")]
        options: Option<String>,
        #[arg(long)]
        group: Option<String>,
        #[arg(long)]
        required: bool,
        #[arg(long)]
        description: Option<String>,
        #[arg(long, value_parser = parse_entity, default_value = "person")]
        entity: FieldEntity,
        /// Display position (0 = first; default last).
        #[arg(long)]
        position: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Change a field: label, options, type, required, group, description, position.
    Update {
        key: String,
        #[arg(long)]
        label: Option<String>,
        /// The new option list, in order (options left out are removed with their values).
        #[arg(long, value_name = "A,B,C")]
        options: Option<String>,
        /// Rename an option; values follow. Repeatable.
        #[arg(long = "rename-option", value_name = "OLD=NEW")]
        rename_option: Vec<String>,
        #[arg(long = "type", value_parser = parse_type)]
        field_type: Option<FieldType>,
        #[arg(long, value_name = "true|false")]
        required: Option<bool>,
        /// The group ("" to remove it from its group).
        #[arg(long)]
        group: Option<String>,
        /// The description ("" to remove it).
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        position: Option<u32>,
        /// Apply even if values are removed (those that do not convert or use a removed option).
        #[arg(long)]
        force: bool,
        /// Print what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Delete a field and all its values (needs --force).
    Delete {
        key: String,
        #[arg(long)]
        force: bool,
        /// Print how many values would go; write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
}

fn options(raw: &str) -> Vec<FieldOption> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(FieldOption::new)
        .collect()
}

/// `""` unsets, anything else sets.
fn set_or_unset(v: Option<String>) -> Option<Option<String>> {
    v.map(|s| Some(s).filter(|s| !s.trim().is_empty()))
}

pub fn run(store: &mut Store, cmd: FieldsCmd) -> Result<()> {
    match cmd {
        FieldsCmd::List { entity, json } => {
            let defs = store.list_fields(entity)?;
            if json {
                output::print_json(&defs);
            } else {
                table(&defs);
            }
        }
        FieldsCmd::Show { key, json } => {
            let def = store.get_field(&key)?;
            if json {
                output::print_json(&def);
            } else {
                detail(&def, store.count_field_values(&key)?);
            }
        }
        FieldsCmd::Add {
            label,
            field_type,
            options: opts,
            group,
            required,
            description,
            entity,
            position,
            json,
        } => {
            let def = store.create_field(&NewField {
                entity,
                label,
                field_type,
                required,
                group,
                description,
                options: opts.as_deref().map(options).unwrap_or_default(),
                position,
            })?;
            if json {
                output::print_json(&def);
            } else {
                println!(
                    "{} created ({} field of {})",
                    def.key,
                    def.field_type.as_str(),
                    def.entity.plural()
                );
            }
        }
        FieldsCmd::Update {
            key,
            label,
            options: opts,
            rename_option,
            field_type,
            required,
            group,
            description,
            position,
            force,
            dry_run,
            json,
        } => {
            let mut renames = Vec::new();
            for (i, r) in rename_option.iter().enumerate() {
                let (from, to) = r.split_once('=').ok_or_else(|| {
                    Error::validation(
                        format!("--rename-option[{i}]"),
                        format!("\"{r}\" is not OLD=NEW"),
                    )
                })?;
                renames.push(OptionRename {
                    from: from.trim().to_string(),
                    to: to.trim().to_string(),
                });
            }
            let changes = FieldChanges {
                label,
                field_type,
                required,
                group: set_or_unset(group),
                description: set_or_unset(description),
                position,
                rename_options: renames,
                options: opts.as_deref().map(options),
            };
            let report = if dry_run {
                store.plan_field_update(&key, &changes)?
            } else {
                store.update_field(&key, &changes, force)?
            };
            print_report(&report, json, "updated");
        }
        FieldsCmd::Delete {
            key,
            force,
            dry_run,
            json,
        } => {
            let report = if dry_run {
                store.plan_field_delete(&key)?
            } else {
                store.delete_field(&key, force)?
            };
            print_report(&report, json, "deleted");
        }
    }
    Ok(())
}

fn table(defs: &[FieldDef]) {
    let both = defs.iter().any(|d| d.entity != defs[0].entity);
    println!(
        "{:<28}  {:<24}  {:<13}  {:<3}  {:<16}  OPTIONS",
        "KEY", "LABEL", "TYPE", "REQ", "GROUP"
    );
    for d in defs {
        let key = if both {
            format!("{} ({})", d.key, d.entity.as_str())
        } else {
            d.key.clone()
        };
        let opts: Vec<&str> = d.options.iter().map(|o| o.label.as_str()).collect();
        let line = format!(
            "{:<28}  {:<24}  {:<13}  {:<3}  {:<16}  {}",
            key,
            d.label,
            d.field_type.as_str(),
            if d.required { "yes" } else { "" },
            d.group.as_deref().unwrap_or(""),
            opts.join(", ")
        );
        println!("{}", line.trim_end());
    }
    if defs.is_empty() {
        println!("no custom fields (add one: carnet fields add --label L --type T)");
    }
}

fn detail(d: &FieldDef, values: u32) {
    let line = |k: &str, v: &str| {
        if !v.is_empty() {
            println!("{k:<12} {v}");
        }
    };
    line("Key", &d.key);
    line("Label", &d.label);
    line("Entity", d.entity.as_str());
    line("Type", d.field_type.as_str());
    line("Required", if d.required { "yes" } else { "no" });
    line("Group", d.group.as_deref().unwrap_or(""));
    line("Position", &d.position.to_string());
    line("Description", d.description.as_deref().unwrap_or(""));
    let opts: Vec<&str> = d.options.iter().map(|o| o.label.as_str()).collect();
    line("Options", &opts.join(", "));
    line("Values", &values.to_string());
    line("Created", &d.created_at);
    line("Updated", &d.updated_at);
}

fn print_report(r: &FieldChangeReport, json: bool, verb: &str) {
    if json {
        output::print_json(r);
        return;
    }
    let head = if r.applied {
        format!("{} {verb}", r.field.key)
    } else {
        format!("{} would be {verb} (dry run, nothing written)", r.field.key)
    };
    println!(
        "{head}: {} value(s), {} changed, {} removed",
        r.values, r.values_changed, r.values_removed
    );
    if !r.options_added.is_empty() {
        println!("options added: {}", r.options_added.join(", "));
    }
    for p in &r.problems {
        println!(
            "  {} ({}): {} {}",
            p.record_name,
            p.record_id,
            Value::to_string(&p.value),
            p.reason
        );
    }
    if r.missing_required > 0 {
        println!(
            "{} live record(s) have no value for this required field",
            r.missing_required
        );
    }
}

/// Parse `--filter` arguments: `cf_x=v` (equal; empty = has no value), `cf_x!=v`
/// (`cf_x!=` = has a value), `cf_x~v` (contains), `cf_x>v`, `>=`, `<`, `<=`.
pub fn parse_filters(raw: &[String]) -> Result<Vec<FieldFilter>> {
    raw.iter()
        .enumerate()
        .map(|(i, r)| parse_filter(r).map_err(|m| Error::validation(format!("--filter[{i}]"), m)))
        .collect()
}

fn parse_filter(r: &str) -> std::result::Result<FieldFilter, String> {
    let at = r
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .ok_or_else(|| format!("\"{r}\" needs an operator: cf_x=value (or != ~ > >= < <=)"))?;
    let (key, rest) = r.split_at(at);
    let ops = [
        (">=", FilterOp::Gte),
        ("<=", FilterOp::Lte),
        ("!=", FilterOp::Ne),
        ("=", FilterOp::Eq),
        ("~", FilterOp::Contains),
        (">", FilterOp::Gt),
        ("<", FilterOp::Lt),
    ];
    let (sym, op) = ops
        .iter()
        .find(|(s, _)| rest.starts_with(s))
        .ok_or_else(|| format!("\"{rest}\" is not an operator (= != ~ > >= < <=)"))?;
    Ok(FieldFilter {
        key: key.to_string(),
        op: *op,
        value: Value::String(rest[sym.len()..].to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_every_operator() {
        let f = |s: &str| parse_filter(s).unwrap();
        assert_eq!(f("cf_x=a=b").op, FilterOp::Eq);
        assert_eq!(f("cf_x=a=b").value, "a=b");
        assert_eq!(f("cf_x!=a").op, FilterOp::Ne);
        assert_eq!(f("cf_x~a").op, FilterOp::Contains);
        assert_eq!(f("cf_n>=3").op, FilterOp::Gte);
        assert_eq!(f("cf_n<=3").op, FilterOp::Lte);
        assert_eq!(f("cf_n>3").op, FilterOp::Gt);
        assert_eq!(f("cf_n<3").key, "cf_n");
        assert_eq!(f("cf_x=").value, "");
        assert!(parse_filter("cf_x").is_err());
        assert!(parse_filter("cf_x^3").is_err());
    }

    #[test]
    fn options_split_on_commas() {
        let o = options(" A, B ,,C ");
        let labels: Vec<_> = o.iter().map(|x| x.label.as_str()).collect();
        assert_eq!(labels, ["A", "B", "C"]);
        assert_eq!(set_or_unset(Some(" ".into())), Some(None));
        assert_eq!(set_or_unset(None), None);
    }
}
