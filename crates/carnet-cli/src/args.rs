//! The command-line grammar (clap): the stable contract of DESIGN.md's "CLI contract".

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "carnet",
    version,
    about = "Carnet: your contacts, in a SQLite file you own."
)]
pub struct Cli {
    /// Database file (default: CARNET_DB, else the platform data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// People: list, search, get, add, update, trash, restore, purge.
    People {
        #[command(subcommand)]
        cmd: PeopleCmd,
    },
    /// Companies: the same verbs as people.
    Companies {
        #[command(subcommand)]
        cmd: CompaniesCmd,
    },
    /// Notes on a person.
    Notes {
        #[command(subcommand)]
        cmd: NotesCmd,
    },
    /// Settings kept in the database (default phone region).
    Settings {
        #[command(subcommand)]
        cmd: SettingsCmd,
    },
    /// Import people from a vCard, CSV or JSON file (one transaction; a report of what happened).
    Import(crate::io_cmd::ImportArgs),
    /// Export people as vCard 3/4, CSV (Google's header) or JSON (the full backup).
    Export(crate::io_cmd::ExportArgs),
    /// Custom-field schema: list, show, add, update, delete.
    Fields {
        #[command(subcommand)]
        cmd: crate::fields_cmd::FieldsCmd,
    },
    /// Sync to CRMs: accounts, push (--dry-run), status, log.
    Sync {
        #[command(subcommand)]
        cmd: crate::sync_cmd::SyncCmd,
    },
    /// Enrichment: enrich, jobs, suggestions, history, enrich-endpoint.
    #[command(flatten)]
    Enrich(crate::enrich_cmd::EnrichCommand),
}

#[derive(ValueEnum, Clone, Copy, Debug, Default)]
pub enum SortArg {
    #[default]
    Name,
    Created,
    Updated,
}

impl From<SortArg> for carnet_core::PeopleSort {
    fn from(s: SortArg) -> Self {
        match s {
            SortArg::Name => carnet_core::PeopleSort::Name,
            SortArg::Created => carnet_core::PeopleSort::Created,
            SortArg::Updated => carnet_core::PeopleSort::Updated,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum PeopleCmd {
    /// List people (live, or the trash with --trash).
    List {
        /// Name, email, phone (any format) or company; case and accents ignored.
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        company_id: Option<String>,
        #[arg(long)]
        tag: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        sort: SortArg,
        /// Custom-field condition (repeatable): cf_x=v, != ~ > >= < <=; `cf_x=` means no value.
        #[arg(long, value_name = "COND")]
        filter: Vec<String>,
        /// Sort by a custom field's value (empty values last), then by name.
        #[arg(long, value_name = "KEY")]
        sort_field: Option<String>,
        /// Reverse the order.
        #[arg(long)]
        desc: bool,
        /// 1 to 100.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        /// List the trash.
        #[arg(long)]
        trash: bool,
        /// Print the person objects as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one person.
    Get {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a person from JSON (inline, @FILE or - for stdin); prints the new person.
    Add {
        #[arg(long, value_name = "JSON")]
        json: String,
    },
    /// Change the given fields of a person (PATCH); prints the person.
    Update {
        id: String,
        #[arg(long, value_name = "JSON")]
        json: String,
    },
    /// Move a person to the trash.
    Delete {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Bring a person back from the trash.
    Restore {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Delete a trashed person for good.
    Purge { id: String },
    /// The tags in use on live people, with how many people carry each.
    Tags {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum CompaniesCmd {
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        #[arg(long)]
        trash: bool,
        #[arg(long)]
        json: bool,
    },
    Get {
        id: String,
        #[arg(long)]
        json: bool,
    },
    Add {
        #[arg(long, value_name = "JSON")]
        json: String,
    },
    Update {
        id: String,
        #[arg(long, value_name = "JSON")]
        json: String,
    },
    Delete {
        id: String,
        #[arg(long)]
        json: bool,
    },
    Restore {
        id: String,
        #[arg(long)]
        json: bool,
    },
    Purge {
        id: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum NotesCmd {
    /// Notes of a person, newest first.
    List {
        person_id: String,
        #[arg(long)]
        json: bool,
    },
    Add {
        person_id: String,
        #[arg(long)]
        body: String,
    },
    Update {
        id: String,
        #[arg(long)]
        body: String,
    },
    Delete {
        id: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum SettingsCmd {
    /// Show the settings and the database path.
    Get,
    /// Set the region phone numbers without + are read in (e.g. FR).
    SetRegion { code: String },
}
