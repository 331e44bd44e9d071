//! Local enrichers: no network, deterministic, fast. Each is a small unit behind
//! [`crate::Enricher`]; [`all`] lists them in the order they run.

use std::sync::Arc;

use crate::enricher::Enricher;

pub mod birthday;
pub mod company;
pub mod gravatar;
pub mod names;
pub mod phone;

/// Every local enricher.
pub fn all() -> Vec<Arc<dyn Enricher>> {
    vec![
        Arc::new(names::Names),
        Arc::new(company::EmailDomain),
        Arc::new(phone::PhoneNumbers),
        Arc::new(gravatar::Gravatar),
        Arc::new(birthday::BirthdayCheck),
    ]
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::enricher::EnrichInput;

    /// An enricher input for a person created by core from this JSON.
    pub fn input_with(person: serde_json::Value) -> EnrichInput {
        let mut store = carnet_core::Store::open_in_memory().expect("store");
        let person = store.create_person(&person).expect("valid person");
        EnrichInput {
            person,
            default_region: "US".into(),
            introzy: None,
            endpoint: None,
        }
    }
}
