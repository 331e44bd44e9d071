//! The link hook enrichment uses: after a push to Introzy, a person's link gives the
//! remote id, the account's base URL and its token, and the enrichment engine, given the
//! hook, calls Introzy's `/enrich` for that person (against the strict fake on 127.0.0.1).

mod common;

use std::sync::Arc;

use carnet_core::Store;
use carnet_enrich::{Engine, EngineOptions, JobState};
use carnet_fakecrm::Provider;
use carnet_sync::{introzy_link_of, IntrozyLinksHook};
use common::*;
use serde_json::json;

#[tokio::test]
async fn a_pushed_person_is_enriched_through_its_introzy_link() {
    // The headless token path (no keyring in CI); this test binary holds only this test.
    std::env::set_var("CARNET_SYNC_TOKEN", TOKEN);
    let crm = start(Provider::Introzy, fake_options(Provider::Introzy)).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let mut store = Store::open(&db).unwrap();
    let linked = store
        .create_person(
            &json!({"firstName": "Ada", "lastName": "Lovelace", "emails": ["ada@analytical.org"]}),
        )
        .unwrap();
    let account = account(&mut store, &crm);
    let report = push_all(&mut store, &account).await;
    assert_eq!(report.summary.created, 1);
    let unlinked = store
        .create_person(&json!({"firstName": "Alan", "emails": ["alan@bletchley.org"]}))
        .unwrap();

    let (remote, base, account_id) = introzy_link_of(&store, &linked.id)
        .unwrap()
        .expect("a link");
    assert_eq!(
        Some(remote.clone()),
        remote_id(&store, &account, &linked.id)
    );
    assert_eq!(
        (base.as_str(), account_id.as_str()),
        (crm.base_url().as_str(), account.id.as_str())
    );
    assert!(introzy_link_of(&store, &unlinked.id).unwrap().is_none());

    let eng = Engine::open(
        &db,
        EngineOptions {
            local: false,
            introzy_links: Some(Arc::new(IntrozyLinksHook::new(&db))),
            ..Default::default()
        },
    )
    .unwrap();
    for id in [&linked.id, &unlinked.id] {
        let q = eng.enqueue_person(id).unwrap();
        eng.run_pending().await.unwrap();
        assert_eq!(eng.job(&q.job_id).unwrap().state, JobState::Done);
    }
    assert_eq!(
        crm.counts().enrich_jobs,
        1,
        "only the linked person reached Introzy's /enrich"
    );
}
