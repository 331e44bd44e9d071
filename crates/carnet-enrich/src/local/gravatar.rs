//! Gravatar URL from the MD5 of the primary email (trimmed, lower-cased), as Gravatar
//! documents it. No network: the URL asks for a 404 when there is no picture
//! (`d=404`), so the UI can fall back to initials. Recorded as the fact `avatarUrl`.

use md5::{Digest, Md5};
use serde_json::json;

use crate::enricher::{ready, EnrichError, EnrichFuture, EnrichInput, Enricher, Proposal};

pub const SOURCE: &str = "local:gravatar";

/// The Gravatar URL of an email address.
pub fn gravatar_url(email: &str) -> String {
    let digest = Md5::digest(email.trim().to_lowercase().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("https://www.gravatar.com/avatar/{hex}?d=404")
}

/// The Gravatar enricher.
pub struct Gravatar;

impl Enricher for Gravatar {
    fn source(&self) -> &'static str {
        SOURCE
    }

    fn enrich<'a>(&'a self, input: &'a EnrichInput) -> EnrichFuture<'a> {
        let r = match input.person.emails.first() {
            Some(e) => Ok(vec![Proposal::fact(
                "avatarUrl",
                gravatar_url(&e.value),
                0.5,
            )
            .with_detail(json!({ "email": e.value }))]),
            None => Err(EnrichError::Skipped),
        };
        ready(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gravatar_hash_is_of_the_normalised_email() {
        // Gravatar's documented example.
        assert_eq!(
            gravatar_url("  MyEmailAddress@example.com "),
            "https://www.gravatar.com/avatar/0bc83cb571cd1c50ba6f3e8a78ef1346?d=404"
        );
    }
}
