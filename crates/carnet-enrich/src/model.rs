//! The public shapes of enrichment — jobs, provenance, suggestions, history, events — in
//! camelCase JSON, as the CLI prints them and the desktop app sends them over IPC.
//!
//! These are read models built from the tables of migration 0004. No secret ever appears
//! in them: a linked account's token lives only in memory ([`crate::Secret`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where a background job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<JobState> {
        Some(match s {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "done" => JobState::Done,
            "failed" => JobState::Failed,
            "cancelled" => JobState::Cancelled,
            _ => return None,
        })
    }

    /// Done, failed or cancelled: the job will not run again.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobState::Done | JobState::Failed | JobState::Cancelled
        )
    }
}

/// Something worth knowing about one person of a job that did not fail the job
/// (a remote enricher that refused, a value a validation rule turned down).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct JobNote {
    pub person_id: String,
    pub source: String,
    pub message: String,
}

/// A background job row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub id: String,
    /// `enrich_person`, `enrich_selection`, `enrich_all` or `enrich_search`.
    pub kind: String,
    /// The search text of an `enrich_search` job.
    pub query: Option<String>,
    pub person_ids: Vec<String>,
    pub state: JobState,
    /// People processed so far.
    pub done: u32,
    pub total: u32,
    /// Empty fields filled and suggestions made, over all people so far.
    pub filled: u32,
    pub suggested: u32,
    pub error: Option<String>,
    pub notes: Vec<JobNote>,
    /// How many times a worker started (or resumed) this job.
    pub attempts: u32,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

/// What `enqueue_person` returns at once, like Introzy's enrich endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EnqueuedJob {
    pub job_id: String,
    pub person_id: String,
    pub person_name: String,
    pub person_email: Option<String>,
}

/// Which people a job enriches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", tag = "type", content = "value")]
pub enum JobTarget {
    /// These people, in this order (a selection in the window).
    People(Vec<String>),
    /// Every live person.
    All,
    /// Live people matching a search (the people list's search).
    Search(String),
    /// The live people a list query shows: its search and every filter (company, tag,
    /// custom fields); its sort, limit and offset are ignored.
    Query(carnet_core::model::PeopleQuery),
}

/// What a provenance row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ProvenanceKind {
    /// A value written on the person (or its primary company).
    Value,
    /// Derived information that is not a person field (phone country and type, avatar).
    Fact,
    /// A warning (an implausible birthday); nothing was written.
    Flag,
}

impl ProvenanceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProvenanceKind::Value => "value",
            ProvenanceKind::Fact => "fact",
            ProvenanceKind::Flag => "flag",
        }
    }

    pub fn parse(s: &str) -> ProvenanceKind {
        match s {
            "fact" => ProvenanceKind::Fact,
            "flag" => ProvenanceKind::Flag,
            _ => ProvenanceKind::Value,
        }
    }
}

/// Where one value came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Provenance {
    pub person_id: String,
    /// A field path: `firstName`, `phones[0].e164`, `company.website`, `avatarUrl`.
    pub field: String,
    pub value: Value,
    /// The enricher: `local:email-name`, `local:phone`, `remote:endpoint`, `remote:introzy`...
    pub source: String,
    /// 0.0 to 1.0.
    pub confidence: f64,
    pub kind: ProvenanceKind,
    pub detail: Option<Value>,
    pub job_id: Option<String>,
    pub recorded_at: String,
}

/// A suggestion's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum SuggestionState {
    Pending,
    Accepted,
    Rejected,
}

impl SuggestionState {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionState::Pending => "pending",
            SuggestionState::Accepted => "accepted",
            SuggestionState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> SuggestionState {
        match s {
            "accepted" => SuggestionState::Accepted,
            "rejected" => SuggestionState::Rejected,
            _ => SuggestionState::Pending,
        }
    }
}

/// A value enrichment would write over something the user entered: for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    pub id: String,
    pub person_id: String,
    pub field: String,
    pub current_value: Value,
    pub proposed_value: Value,
    pub source: String,
    pub confidence: f64,
    pub state: SuggestionState,
    pub job_id: Option<String>,
    pub created_at: String,
    pub decided_at: Option<String>,
}

/// One change enrichment made to a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub id: String,
    pub person_id: String,
    pub field: String,
    pub old_value: Value,
    pub new_value: Value,
    pub source: String,
    /// `enrichment` (an empty field filled) or `suggestion` (an accepted suggestion).
    pub origin: String,
    pub job_id: Option<String>,
    pub suggestion_id: Option<String>,
    pub changed_at: String,
}

/// What one person's enrichment did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PersonOutcome {
    pub person_id: String,
    /// Field paths filled (empty before).
    pub filled: Vec<String>,
    /// Suggestions created for review.
    pub suggested: Vec<String>,
    pub notes: Vec<JobNote>,
}

/// Progress and lifecycle events, for the desktop app to forward as Tauri events
/// (suggested event name: `enrich://event`, payload this JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum EnrichEvent {
    /// A job row was written.
    #[serde(rename_all = "camelCase")]
    JobQueued { job: Job },
    /// A worker started (or resumed) a job.
    #[serde(rename_all = "camelCase")]
    JobStarted { job: Job },
    /// One more person done: drive a progress bar with `done / total`.
    #[serde(rename_all = "camelCase")]
    JobProgress {
        job_id: String,
        done: u32,
        total: u32,
        outcome: PersonOutcome,
    },
    /// The job ended: `job.state` is done, failed or cancelled.
    #[serde(rename_all = "camelCase")]
    JobFinished { job: Job },
    /// A person changed (filled by a job, or a suggestion accepted): refresh it.
    #[serde(rename_all = "camelCase")]
    PersonChanged { person_id: String },
}

/// The enrichment settings kept in the database (no secret among them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EnrichSettings {
    /// The user's HTTP enrichment endpoint (POST person JSON, get fields back).
    pub endpoint_url: Option<String>,
}
