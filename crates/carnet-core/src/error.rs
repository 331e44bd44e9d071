//! The one error type of Carnet: a stable code, the field path it concerns, and a sentence.
//!
//! Every operation of core returns [`Error`]. The CLI prints it, the desktop app sends it
//! over IPC as `{code, message, field}`, and the UI shows it beside the input named by
//! `field` (a path such as `emails[1].value`). Messages never contain secrets.

use serde::{Serialize, Serializer};

/// Stable machine-readable error codes (scripts and the UI branch on them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// The input breaks a rule; nothing was written.
    Validation,
    /// The record does not exist (or is in the trash when a live one was needed).
    NotFound,
    /// The write would clash with another record (same email, say).
    Conflict,
    /// The database could not be read or written.
    Storage,
    /// A file could not be read or written.
    Io,
    /// Something that should not happen; a bug.
    Internal,
}

impl ErrorCode {
    /// The wire name: `validation`, `not_found`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Validation => "validation",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Storage => "storage",
            ErrorCode::Io => "io",
            ErrorCode::Internal => "internal",
        }
    }
}

/// An error with a code, an optional field path and a human sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.display())]
pub struct Error {
    pub code: ErrorCode,
    pub field: Option<String>,
    pub message: String,
    /// For `conflict`: the id of the record that is in the way.
    pub existing_id: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, field: Option<String>, message: impl Into<String>) -> Self {
        Error {
            code,
            field,
            message: message.into(),
            existing_id: None,
        }
    }

    /// A `validation` error about `field`.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Validation, Some(field.into()), message)
    }

    /// A `not_found` error for a record kind and id.
    pub fn not_found(kind: &str, id: &str) -> Self {
        Self::new(
            ErrorCode::NotFound,
            Some("id".into()),
            format!("No {kind} with id {id}."),
        )
    }

    /// A `conflict` error naming the record in the way.
    pub fn conflict(
        field: impl Into<String>,
        message: impl Into<String>,
        existing_id: &str,
    ) -> Self {
        let mut e = Self::new(ErrorCode::Conflict, Some(field.into()), message);
        e.existing_id = Some(existing_id.to_string());
        e
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, None, message)
    }

    pub fn io(path: &std::path::Path, err: &std::io::Error) -> Self {
        Self::new(ErrorCode::Io, None, format!("{}: {err}", path.display()))
    }

    /// Prefix the field path (used when validating nested values).
    pub fn under(mut self, prefix: &str) -> Self {
        self.field = Some(match self.field.take() {
            Some(f) if f.starts_with('[') => format!("{prefix}{f}"),
            Some(f) => format!("{prefix}.{f}"),
            None => prefix.to_string(),
        });
        self
    }

    fn display(&self) -> String {
        match &self.field {
            Some(f) => format!("{}: {}: {}", self.code.as_str(), f, self.message),
            None => format!("{}: {}", self.code.as_str(), self.message),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::new(ErrorCode::Storage, None, format!("database error: {e}"))
    }
}

impl From<rusqlite_migration::Error> for Error {
    fn from(e: rusqlite_migration::Error) -> Self {
        Error::new(
            ErrorCode::Storage,
            None,
            format!("database migration failed: {e}"),
        )
    }
}

/// The wire shape of an error, as the UI and `--json` consumers see it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ErrorPayload {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    pub existing_id: Option<String>,
}

impl Error {
    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code.as_str().to_string(),
            message: self.message.clone(),
            field: self.field.clone(),
            existing_id: self.existing_id.clone(),
        }
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.payload().serialize(s)
    }
}
