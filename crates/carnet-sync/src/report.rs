//! What a push reports: the summary counts (the CLI's last line), one item per person
//! with its outcome, remote id, reason and dropped fields, the run as kept in SQLite,
//! and the progress events the desktop app shows as a progress bar.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::provider::Dropped;

/// The counts of a run: `{"created","updated","unchanged","skipped","failed"}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Summary {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub skipped: u32,
    pub failed: u32,
}

impl Summary {
    pub(crate) fn count(&mut self, outcome: Outcome) {
        let slot = match outcome {
            Outcome::Created => &mut self.created,
            Outcome::Updated => &mut self.updated,
            Outcome::Unchanged => &mut self.unchanged,
            Outcome::Skipped => &mut self.skipped,
            Outcome::Failed => &mut self.failed,
        };
        *slot += 1;
    }
}

/// What happened to one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// A new remote record (in a dry run: would be created).
    Created,
    /// An existing remote record got the changes (or was linked and brought up to date).
    Updated,
    /// Nothing changed since the last push: nothing sent.
    Unchanged,
    /// The CRM cannot take this person (reason given); nothing sent.
    Skipped,
    /// The push failed (reason given); the edit stays pending.
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Skipped => "skipped",
            Outcome::Failed => "failed",
        }
    }

    pub(crate) fn parse(s: &str) -> Outcome {
        match s {
            "created" => Outcome::Created,
            "updated" => Outcome::Updated,
            "unchanged" => Outcome::Unchanged,
            "skipped" => Outcome::Skipped,
            _ => Outcome::Failed,
        }
    }
}

/// One person's line in a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ItemReport {
    pub person_id: String,
    pub person_name: String,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_id: Option<String>,
    /// Why it was skipped or failed; for an update of a linked record, how it matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Fields the CRM did not receive, with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<Dropped>,
    /// What was (or, in a dry run, would be) sent. Never contains a token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<Value>,
}

/// A run as kept in the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    pub id: String,
    pub account_id: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub dry_run: bool,
    /// `running`, `done`, `cancelled` or `failed`.
    pub status: String,
    pub total: u32,
    pub summary: Summary,
    /// Why the run as a whole failed (auth, unreachable CRM...).
    pub error: Option<String>,
    pub items: Vec<ItemReport>,
}

/// Progress of a push, for the app's progress bar and live log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SyncEvent {
    /// The run started; `total` people will be looked at.
    #[serde(rename_all = "camelCase")]
    Started { run_id: String, total: u32 },
    /// One person is done (`done` of `total`).
    #[serde(rename_all = "camelCase")]
    Item {
        run_id: String,
        done: u32,
        total: u32,
        item: ItemReport,
    },
    /// The run ended.
    #[serde(rename_all = "camelCase")]
    Finished {
        run_id: String,
        status: String,
        summary: Summary,
    },
}

/// One account's state for `sync status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AccountStatus {
    pub account: crate::db::Account,
    /// People whose last push went through.
    pub synced: u32,
    /// People whose last push failed.
    pub failed: u32,
    /// Live people never pushed or edited since their last push (skipped ones included).
    pub pending: u32,
    pub last_run: Option<RunReport>,
}
