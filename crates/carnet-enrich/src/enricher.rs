//! The one trait every enricher implements, and what enrichers produce: proposals.
//!
//! An enricher looks at a person and proposes values; it never writes. `apply` decides
//! what happens to each proposal (fill an empty field, make a suggestion, record a fact).
//! Local enrichers answer at once; remote ones do HTTP. Both return a boxed future so
//! they sit in one `Vec<Arc<dyn Enricher>>` and more can be added without touching the
//! job system.

use std::future::Future;
use std::pin::Pin;

use carnet_core::Person;
use serde_json::Value;

use crate::model::ProvenanceKind;
use crate::remote::RemoteError;
use crate::Secret;

/// A value an enricher proposes for one field path.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// `firstName`, `lastName`, `jobTitle`, `description`, `birthday`, `company`,
    /// `company.website`, `company.domain`, `emails`, `phones`, `urls`, `addresses`
    /// (list fields: the value is appended when absent), or for facts and flags any path
    /// (`phones[0].e164`, `phones[0].country`, `avatarUrl`, `birthday`).
    pub field: String,
    pub value: Value,
    pub confidence: f64,
    pub kind: ProvenanceKind,
    /// Extra information kept with the provenance row.
    pub detail: Option<Value>,
    /// `true` when the enricher means to change a non-empty value (a casing fix): the
    /// proposal then always becomes a suggestion.
    pub replaces: bool,
}

impl Proposal {
    /// A value for a field (filled when empty, suggested otherwise).
    pub fn value(field: &str, value: impl Into<Value>, confidence: f64) -> Proposal {
        Proposal {
            field: field.to_string(),
            value: value.into(),
            confidence,
            kind: ProvenanceKind::Value,
            detail: None,
            replaces: false,
        }
    }

    /// Derived information recorded in provenance only.
    pub fn fact(field: &str, value: impl Into<Value>, confidence: f64) -> Proposal {
        Proposal {
            kind: ProvenanceKind::Fact,
            ..Proposal::value(field, value, confidence)
        }
    }

    /// A warning about a field; never written.
    pub fn flag(field: &str, message: impl Into<Value>) -> Proposal {
        Proposal {
            kind: ProvenanceKind::Flag,
            ..Proposal::value(field, message, 1.0)
        }
    }

    /// A correction of a non-empty value, always for review.
    pub fn correction(field: &str, value: impl Into<Value>, confidence: f64) -> Proposal {
        Proposal {
            replaces: true,
            ..Proposal::value(field, value, confidence)
        }
    }

    pub fn with_detail(mut self, detail: Value) -> Proposal {
        self.detail = Some(detail);
        self
    }
}

/// The Introzy account a person is linked to: the hook the sync crate implements.
#[derive(Debug, Clone)]
pub struct IntrozyLink {
    /// The person's id on Introzy.
    pub remote_id: String,
    /// `https://beta-api.introzy.com` (or a local fake in tests), before `/api/people`.
    pub base_url: String,
    pub token: Secret,
}

/// Looks up a person's linked Introzy account. Implemented by the sync crate (accounts
/// and links live there); enrichment only asks.
pub trait IntrozyLinks: Send + Sync {
    /// The link of this Carnet person, if it has one. Errors are reported as job notes.
    fn introzy_link(&self, person_id: &str) -> Result<Option<IntrozyLink>, String>;
}

/// What an enricher sees.
#[derive(Debug, Clone)]
pub struct EnrichInput {
    pub person: Person,
    /// The region phone numbers without `+` are read in.
    pub default_region: String,
    /// The person's Introzy link, when the app has a [`IntrozyLinks`] hook and a link.
    pub introzy: Option<IntrozyLink>,
    /// The user's HTTP enrichment endpoint, when set.
    pub endpoint: Option<EndpointTarget>,
}

/// The user-configured endpoint: URL from the settings, optional token from the caller
/// (keychain or environment), never from SQLite.
#[derive(Debug, Clone)]
pub struct EndpointTarget {
    pub url: String,
    pub token: Option<Secret>,
}

/// Why an enricher produced nothing for this person.
#[derive(Debug, Clone, PartialEq)]
pub enum EnrichError {
    /// Nothing to do (no email, no link...): not worth a note.
    Skipped,
    /// A remote call failed; the message is safe to store (no token, no query string).
    Remote(RemoteError),
}

impl std::fmt::Display for EnrichError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EnrichError::Skipped => f.write_str("skipped"),
            EnrichError::Remote(e) => write!(f, "{e}"),
        }
    }
}

pub type EnrichResult = Result<Vec<Proposal>, EnrichError>;
pub type EnrichFuture<'a> = Pin<Box<dyn Future<Output = EnrichResult> + Send + 'a>>;

/// One enricher: a small unit that proposes values for a person.
pub trait Enricher: Send + Sync {
    /// The provenance source name, `local:...` or `remote:...`.
    fn source(&self) -> &'static str;

    /// Propose values. Local enrichers return a ready future.
    fn enrich<'a>(&'a self, input: &'a EnrichInput) -> EnrichFuture<'a>;
}

/// A ready future for local enrichers.
pub fn ready<'a>(r: EnrichResult) -> EnrichFuture<'a> {
    Box::pin(std::future::ready(r))
}
