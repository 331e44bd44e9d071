//! `carnet`: every core operation from the command line, scriptable, with `--json` output.
//!
//! This binary parses arguments, calls `carnet_core::Store`, and prints. Errors go to
//! stderr as `error[code] field: sentence` and the exit status says which kind
//! (2 validation, 3 not found, 4 conflict, 1 anything else).

// mimalloc: glibc's malloc is slow when one thread frees what another allocated, which
// is what an import's parsing and writing threads do with every record.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod args;
mod enrich_cmd;
mod fields_cmd;
mod io_cmd;
mod output;
mod sync_cmd;

use std::io::Read;

use args::{Cli, Command, CompaniesCmd, NotesCmd, PeopleCmd, SettingsCmd};
use carnet_core::{CompanyQuery, Error, ErrorCode, PeopleQuery, Result, Store};
use clap::Parser;
use serde_json::Value;

fn main() {
    let cli = Cli::parse();
    if let Err(e) = run(cli) {
        match &e.field {
            Some(f) => eprintln!("error[{}] {f}: {}", e.code.as_str(), e.message),
            None => eprintln!("error[{}] {}", e.code.as_str(), e.message),
        }
        if let Some(id) = &e.existing_id {
            eprintln!("existing id: {id}");
        }
        std::process::exit(match e.code {
            ErrorCode::Validation => 2,
            ErrorCode::NotFound => 3,
            ErrorCode::Conflict => 4,
            _ => 1,
        });
    }
}

/// A JSON argument: inline text, `@FILE`, or `-` for standard input.
fn json_arg(raw: &str, flag: &str) -> Result<Value> {
    let text = if raw == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Error::validation(flag, format!("cannot read standard input: {e}")))?;
        s
    } else if let Some(path) = raw.strip_prefix('@') {
        std::fs::read_to_string(path).map_err(|e| Error::io(std::path::Path::new(path), &e))?
    } else {
        raw.to_string()
    };
    serde_json::from_str(&text)
        .map_err(|e| Error::validation(flag, format!("is not valid JSON: {e}")))
}

fn run(cli: Cli) -> Result<()> {
    let path = carnet_core::paths::resolve_db_path(cli.db.clone())?;
    let mut store = Store::open(&path)?;
    match cli.command {
        Command::People { cmd } => people(&mut store, cmd),
        Command::Companies { cmd } => companies(&mut store, cmd),
        Command::Notes { cmd } => notes(&mut store, cmd),
        Command::Import(a) => io_cmd::import(&mut store, a),
        Command::Export(a) => io_cmd::export(&store, a),
        Command::Fields { cmd } => fields_cmd::run(&mut store, cmd),
        Command::Sync { cmd } => sync_cmd::run(&mut store, cmd),
        Command::Enrich(cmd) => enrich_cmd::run(store, &path, cmd),
        Command::Settings { cmd } => match cmd {
            SettingsCmd::Get => {
                println!("default-region {}", store.default_region()?);
                println!("database {}", path.display());
                Ok(())
            }
            SettingsCmd::SetRegion { code } => {
                println!("default-region {}", store.set_default_region(&code)?);
                Ok(())
            }
        },
    }
}

fn people(store: &mut Store, cmd: PeopleCmd) -> Result<()> {
    match cmd {
        PeopleCmd::List {
            search,
            company_id,
            tag,
            sort,
            filter,
            sort_field,
            desc,
            limit,
            offset,
            trash,
            json,
        } => {
            let q = PeopleQuery {
                search,
                company_id,
                tag,
                sort: sort.into(),
                descending: desc,
                limit,
                offset,
                trashed: trash,
                filters: fields_cmd::parse_filters(&filter)?,
                sort_field,
            };
            let page = store.list_people(&q)?;
            if json {
                output::print_json(&page.items);
            } else {
                output::people_table(&page);
            }
        }
        PeopleCmd::Get { id, json } => {
            let p = store.get_person(&id)?;
            if json {
                output::print_json(&p);
            } else {
                output::person_detail(&p);
            }
        }
        PeopleCmd::Add { json } => {
            let p = store.create_person(&json_arg(&json, "--json")?)?;
            output::warnings(&p.warnings);
            output::print_json(&p);
        }
        PeopleCmd::Update { id, json } => {
            let p = store.update_person(&id, &json_arg(&json, "--json")?)?;
            output::warnings(&p.warnings);
            output::print_json(&p);
        }
        PeopleCmd::Delete { id, json } => {
            output::done(json, &store.trash_person(&id)?, "moved to the trash")
        }
        PeopleCmd::Restore { id, json } => {
            output::done(json, &store.restore_person(&id)?, "restored")
        }
        PeopleCmd::Purge { id } => {
            store.purge_person(&id)?;
            println!("{id} deleted for good");
        }
        PeopleCmd::Tags { json } => {
            let tags = store.list_tags()?;
            if json {
                output::print_json(&tags);
            } else {
                for t in tags {
                    println!("{}\t{}", t.tag, t.count);
                }
            }
        }
    }
    Ok(())
}

fn companies(store: &mut Store, cmd: CompaniesCmd) -> Result<()> {
    match cmd {
        CompaniesCmd::List {
            search,
            limit,
            offset,
            trash,
            json,
        } => {
            let page = store.list_companies(&CompanyQuery {
                search,
                limit,
                offset,
                trashed: trash,
            })?;
            if json {
                output::print_json(&page.items);
            } else {
                output::companies_table(&page);
            }
        }
        CompaniesCmd::Get { id, json } => {
            let c = store.get_company(&id)?;
            if json {
                output::print_json(&c);
            } else {
                output::company_detail(&c);
            }
        }
        CompaniesCmd::Add { json } => {
            output::print_json(&store.create_company(&json_arg(&json, "--json")?)?)
        }
        CompaniesCmd::Update { id, json } => {
            output::print_json(&store.update_company(&id, &json_arg(&json, "--json")?)?)
        }
        CompaniesCmd::Delete { id, json } => {
            output::done(json, &store.trash_company(&id)?, "moved to the trash")
        }
        CompaniesCmd::Restore { id, json } => {
            output::done(json, &store.restore_company(&id)?, "restored")
        }
        CompaniesCmd::Purge { id } => {
            store.purge_company(&id)?;
            println!("{id} deleted for good");
        }
    }
    Ok(())
}

fn notes(store: &mut Store, cmd: NotesCmd) -> Result<()> {
    match cmd {
        NotesCmd::List { person_id, json } => {
            let notes = store.list_notes(&person_id)?;
            if json {
                output::print_json(&notes);
            } else {
                output::notes_list(&notes);
            }
        }
        NotesCmd::Add { person_id, body } => {
            output::print_json(&store.create_note(&person_id, &body)?)
        }
        NotesCmd::Update { id, body } => output::print_json(&store.update_note(&id, &body)?),
        NotesCmd::Delete { id } => {
            store.delete_note(&id)?;
            println!("note {id} deleted");
        }
    }
    Ok(())
}
