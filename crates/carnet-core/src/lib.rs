//! Carnet's core: the domain (people, companies, notes), validation and SQLite storage.
//!
//! No Tauri and no UI here: the `carnet` CLI and the desktop app are thin layers over
//! [`Store`]. Every write is parsed (`input`), checked (`validate`) and stored in one
//! transaction; every failure is an [`Error`] with a code, a field path and a sentence.

mod checkpointer;
pub mod companies;
mod company_names;
pub mod db;
pub mod error;
pub mod fields;
pub mod input;
pub mod interchange;
mod interrupt;
mod live_index;
pub mod model;
pub mod notes;
mod page_anchors;
pub mod paths;
pub mod people;
mod people_bulk;
mod people_db;
mod people_list;
mod person_companies;
pub mod phone;
mod search;
mod search_build;
pub mod store;
pub mod tags;
pub mod text;
pub mod validate;

pub use error::{Error, ErrorCode, ErrorPayload, Result};
pub use fields::{
    FieldChangeReport, FieldChanges, FieldDef, FieldEntity, FieldFilter, FieldOption, FieldType,
    FilterOp, NewField, OptionRename, ValueProblem,
};
pub use interchange::{
    ExportOptions, Format, ImportOptions, ImportReport, ImportWarning, OnDuplicate, RejectedRecord,
    VcardExtras,
};
pub use model::*;
pub use store::Store;
