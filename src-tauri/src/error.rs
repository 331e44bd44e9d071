//! The one error every command returns: core's [`carnet_core::Error`] on the wire as
//! `{code, message, field, existingId}`.
//!
//! The UI branches on `code` (`validation`, `not_found`, `conflict`, ...) and shows
//! `message` beside the input named by `field` (a path such as `emails[1].value`).
//! This wrapper only exists to give the error a TypeScript type; it adds no logic.

use serde::{Serialize, Serializer};

/// A command error. Serialises exactly as core's `ErrorPayload`.
#[derive(Debug, specta::Type)]
#[specta(type = carnet_core::error::ErrorPayload)]
pub struct AppError(pub carnet_core::Error);

impl From<carnet_core::Error> for AppError {
    fn from(e: carnet_core::Error) -> Self {
        AppError(e)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// What every command returns.
pub type CmdResult<T> = Result<T, AppError>;
