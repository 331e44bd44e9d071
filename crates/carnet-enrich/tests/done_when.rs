//! The done-when check, on a real SQLite file: a person with only
//! `jane.doe@acme-robotics.com` and `(415) 555-0101` gets first / last name, the company
//! "Acme Robotics" with its website, the E.164 phone, and the source of each; then the
//! review rules: conflicts become suggestions, nothing typed is overwritten.

use carnet_core::Store;
use carnet_enrich::review;
use carnet_enrich::{Engine, EngineOptions, JobState, SuggestionState};
use serde_json::json;

fn engine(dir: &tempfile::TempDir) -> Engine {
    let opts = EngineOptions {
        remote: false,
        ..Default::default()
    };
    Engine::open(&dir.path().join("carnet.db"), opts).expect("engine")
}

/// An extra enricher proposing a rival first name.
struct Rival;

impl carnet_enrich::Enricher for Rival {
    fn source(&self) -> &'static str {
        "test:rival"
    }

    fn enrich<'a>(
        &'a self,
        _: &'a carnet_enrich::EnrichInput,
    ) -> carnet_enrich::enricher::EnrichFuture<'a> {
        carnet_enrich::enricher::ready(Ok(vec![carnet_enrich::Proposal::value(
            "firstName",
            "Jenny",
            0.5,
        )]))
    }
}

fn source_of(prov: &[carnet_enrich::Provenance], field: &str) -> Option<String> {
    prov.iter()
        .rev()
        .find(|p| p.field == field)
        .map(|p| p.source.clone())
}

#[tokio::test]
async fn enrich_fills_names_company_website_and_phone_with_sources() {
    let dir = tempfile::tempdir().unwrap();
    let eng = engine(&dir);
    let id = eng
        .with_store(|s| {
            s.create_person(
                &json!({"emails": ["jane.doe@acme-robotics.com"], "phones": ["(415) 555-0101"]}),
            )
        })
        .unwrap()
        .id;

    let queued = eng.enqueue_person(&id).unwrap();
    assert_eq!(queued.person_id, id);
    assert_eq!(
        queued.person_email.as_deref(),
        Some("jane.doe@acme-robotics.com")
    );
    assert_eq!(eng.job(&queued.job_id).unwrap().state, JobState::Queued);

    eng.run_pending().await.unwrap();
    let job = eng.job(&queued.job_id).unwrap();
    assert_eq!(job.state, JobState::Done, "{job:?}");
    assert_eq!((job.done, job.total), (1, 1));

    let p = eng.with_store(|s| s.get_person(&id)).unwrap();
    assert_eq!(p.first_name.as_deref(), Some("Jane"));
    assert_eq!(p.last_name.as_deref(), Some("Doe"));
    assert_eq!(p.full_name, "Jane Doe");
    assert_eq!(p.company.as_deref(), Some("Acme Robotics"));
    assert_eq!(p.phones[0].e164.as_deref(), Some("+14155550101"));
    let company = eng
        .with_store(|s| s.get_company(p.company_id.as_deref().unwrap()))
        .unwrap();
    assert_eq!(
        company.website.as_deref(),
        Some("https://acme-robotics.com")
    );
    assert_eq!(company.domain.as_deref(), Some("acme-robotics.com"));

    let prov = eng.with_store(|s| review::provenance(s, &id)).unwrap();
    assert_eq!(
        source_of(&prov, "firstName").as_deref(),
        Some("local:email-name")
    );
    assert_eq!(
        source_of(&prov, "lastName").as_deref(),
        Some("local:email-name")
    );
    assert_eq!(
        source_of(&prov, "company").as_deref(),
        Some("local:email-domain")
    );
    assert_eq!(
        source_of(&prov, "company.website").as_deref(),
        Some("local:email-domain")
    );
    assert_eq!(
        source_of(&prov, "phones[0].e164").as_deref(),
        Some("local:phone")
    );
    assert_eq!(
        source_of(&prov, "phones[0].country").as_deref(),
        Some("local:phone")
    );
    assert!(source_of(&prov, "avatarUrl").is_some());
    assert!(prov
        .iter()
        .all(|p| p.job_id.as_deref() == Some(job.id.as_str())));
    assert!(prov
        .iter()
        .all(|p| (0.0..=1.0).contains(&p.confidence) && !p.recorded_at.is_empty()));

    let history = eng.with_store(|s| review::history(s, &id)).unwrap();
    let fields: Vec<_> = history.iter().map(|h| h.field.as_str()).collect();
    for f in [
        "firstName",
        "lastName",
        "company",
        "company.website",
        "company.domain",
    ] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    assert!(history.iter().all(|h| h.origin == "enrichment"));

    // A second run changes nothing and proposes nothing.
    let again = eng.enqueue_person(&id).unwrap();
    eng.run_pending().await.unwrap();
    let j2 = eng.job(&again.job_id).unwrap();
    assert_eq!((j2.filled, j2.suggested), (0, 0), "{j2:?}");
    assert_eq!(
        eng.with_store(|s| review::history(s, &id)).unwrap().len(),
        history.len()
    );
}

#[tokio::test]
async fn typed_values_become_suggestions_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let opts = EngineOptions {
        remote: false,
        extra: vec![std::sync::Arc::new(Rival)],
        ..Default::default()
    };
    let eng = Engine::open(&dir.path().join("carnet.db"), opts).unwrap();
    let id = eng
        .with_store(|s| {
            s.create_person(&json!({
                "firstName": "JANET", "lastName": "doe",
                "emails": ["jane.doe@acme-robotics.com"],
                "company": "Globex"
            }))
        })
        .unwrap()
        .id;
    let q = eng.enqueue_person(&id).unwrap();
    eng.run_pending().await.unwrap();
    assert_eq!(eng.job(&q.job_id).unwrap().state, JobState::Done);

    let p = eng.with_store(|s| s.get_person(&id)).unwrap();
    assert_eq!(p.first_name.as_deref(), Some("JANET"), "typed value kept");
    assert_eq!(p.company.as_deref(), Some("Globex"), "typed company kept");
    let globex = eng
        .with_store(|s| s.get_company(p.company_id.as_deref().unwrap()))
        .unwrap();
    assert_eq!(globex.website, None, "no Acme website on Globex");

    let pending = eng
        .with_store(|s| review::suggestions(s, Some(&id), Some(SuggestionState::Pending)))
        .unwrap();
    let by_field = |f: &str| pending.iter().filter(|s| s.field == f).collect::<Vec<_>>();
    // The casing fix (0.8) and the rival (0.5) are both pending, most confident first.
    assert_eq!(by_field("firstName").len(), 2, "{pending:?}");
    assert_eq!(by_field("firstName")[0].proposed_value, "Janet");
    assert_eq!(by_field("lastName")[0].proposed_value, "Doe");
    assert_eq!(by_field("company")[0].proposed_value, "Acme Robotics");
    assert_eq!(by_field("company")[0].current_value, "Globex");

    // Reject one: it is not proposed again.
    let company_s = by_field("company")[0].id.clone();
    eng.reject_suggestion(&company_s).unwrap();
    // Accept one: the value is written and logged.
    let first_s = by_field("firstName")[0].id.clone();
    let accepted = eng.accept_suggestion(&first_s).unwrap();
    assert_eq!(accepted.state, SuggestionState::Accepted);
    let p = eng.with_store(|s| s.get_person(&id)).unwrap();
    assert_eq!(p.first_name.as_deref(), Some("Janet"));
    // The rival firstName suggestion was rejected with it.
    let first_states: Vec<_> = eng
        .with_store(|s| review::suggestions(s, Some(&id), None))
        .unwrap()
        .into_iter()
        .filter(|s| s.field == "firstName")
        .map(|s| s.state)
        .collect();
    assert_eq!(
        first_states,
        [SuggestionState::Accepted, SuggestionState::Rejected]
    );

    // Accept all the rest.
    let rest = eng.accept_all(&id).unwrap();
    assert_eq!(rest.len(), 1, "{rest:?}");
    let p = eng.with_store(|s| s.get_person(&id)).unwrap();
    assert_eq!(p.last_name.as_deref(), Some("Doe"));
    assert_eq!(p.company.as_deref(), Some("Globex"));

    let h = eng.with_store(|s| review::history(s, &id)).unwrap();
    let from_review: Vec<_> = h
        .iter()
        .filter(|e| e.origin == "suggestion")
        .map(|e| (e.field.as_str(), e.old_value.clone()))
        .collect();
    assert_eq!(
        from_review,
        [("firstName", json!("JANET")), ("lastName", json!("doe"))]
    );

    // Enrich again: nothing already answered comes back.
    let q = eng.enqueue_person(&id).unwrap();
    eng.run_pending().await.unwrap();
    assert_eq!(eng.job(&q.job_id).unwrap().suggested, 0);
    let err = eng
        .with_store(|s| review::accept(s, &company_s))
        .unwrap_err();
    assert_eq!(err.code, carnet_core::ErrorCode::Validation);
}

#[tokio::test]
async fn enriched_values_pass_core_validation() {
    // A birthday flag is recorded, never written; a trashed person is skipped with a note.
    let dir = tempfile::tempdir().unwrap();
    let eng = engine(&dir);
    let (a, b) = eng
        .with_store(|s: &mut Store| {
            let a = s.create_person(
                &json!({"firstName": "Old", "lastName": "Timer", "birthday": "1890-02-01"}),
            )?;
            let b = s.create_person(
                &json!({"firstName": "Gone", "emails": ["gone.person@initech.com"]}),
            )?;
            Ok((a.id, b.id))
        })
        .unwrap();
    let job = eng
        .enqueue(carnet_enrich::JobTarget::People(vec![a.clone(), b.clone()]))
        .unwrap();
    eng.with_store(|s| s.trash_person(&b)).unwrap();
    eng.run_pending().await.unwrap();
    let job = eng.job(&job.id).unwrap();
    assert_eq!(job.state, JobState::Done);
    assert_eq!(job.done, 2);
    assert!(
        job.notes
            .iter()
            .any(|n| n.person_id == b && n.message.contains("trash")),
        "{:?}",
        job.notes
    );
    let prov = eng.with_store(|s| review::provenance(s, &a)).unwrap();
    let flag = prov
        .iter()
        .find(|p| p.kind == carnet_enrich::ProvenanceKind::Flag)
        .unwrap();
    assert_eq!(flag.field, "birthday");
    assert_eq!(
        eng.with_store(|s| s.get_person(&a))
            .unwrap()
            .birthday
            .as_deref(),
        Some("1890-02-01")
    );
}

#[tokio::test]
async fn accepting_a_company_keeps_the_other_companies() {
    let dir = tempfile::tempdir().unwrap();
    let eng = engine(&dir);
    let id = eng
        .with_store(|s| {
            s.create_person(&json!({
                "firstName": "Jane", "lastName": "Doe",
                "emails": ["jane.doe@acme-robotics.com"],
                "companies": [{"name": "Globex"}, {"name": "Initech"}]
            }))
        })
        .unwrap()
        .id;
    eng.enqueue_person(&id).unwrap();
    eng.run_pending().await.unwrap();
    let s = eng
        .suggestions(Some(&id), Some(SuggestionState::Pending))
        .unwrap();
    assert_eq!(s.len(), 1, "{s:?}");
    eng.accept_suggestion(&s[0].id).unwrap();
    let p = eng.with_store(|s| s.get_person(&id)).unwrap();
    let names: Vec<_> = p.companies.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Acme Robotics", "Initech"]);
    // The next run fills the new company's website.
    eng.enqueue_person(&id).unwrap();
    eng.run_pending().await.unwrap();
    let c = eng
        .with_store(|s| s.get_company(p.company_id.as_deref().unwrap()))
        .unwrap();
    assert_eq!(c.website.as_deref(), Some("https://acme-robotics.com"));
}
