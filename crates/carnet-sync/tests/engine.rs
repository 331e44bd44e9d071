//! Engine behaviour beyond the per-CRM scenarios: dry run, progress and cancel, a failed
//! push keeping the edit pending, and the token never reaching SQLite or an error.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use carnet_fakecrm::{Fault, Provider};
use carnet_sync::{push, CancelFlag, Outcome, PushOptions, SyncEvent, Token};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_sends_nothing_and_shows_payloads() {
    let crm = common::start(Provider::Introzy, common::fake_options(Provider::Introzy)).await;
    let mut fx = common::fixture(30);
    let account = common::account(&mut fx.store, &crm);
    let mut opts = common::options();
    opts.dry_run = true;
    let run = push(&mut fx.store, &account, &Token::new(common::TOKEN), &opts)
        .await
        .expect("dry run");
    assert!(run.dry_run);
    assert!(run.summary.created > 0);
    assert_eq!(crm.counts(), Default::default(), "nothing written");
    assert!(crm.requests().iter().all(|r| r.method == "GET"));
    for item in run.items.iter().filter(|i| i.outcome == Outcome::Created) {
        let payload = item.payload.as_ref().expect("payload shown");
        assert!(payload.get("email").is_some());
        assert!(!payload.to_string().contains(common::TOKEN));
    }
    assert!(common::links(&fx.store, &account).is_empty());
    // A real push afterwards creates exactly what the dry run announced.
    let real = common::push_all(&mut fx.store, &account).await;
    assert_eq!(real.summary.created, run.summary.created);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_events_and_cancel_leave_the_rest_pending() {
    let crm = common::start(Provider::Folk, common::fake_options(Provider::Folk)).await;
    let mut fx = common::fixture(40);
    let account = common::account(&mut fx.store, &crm);
    let cancel = CancelFlag::new();
    let items = Arc::new(AtomicU32::new(0));
    let (c, n) = (cancel.clone(), items.clone());
    let opts = PushOptions {
        config: carnet_sync::SyncConfig {
            concurrency: 1,
            ..common::test_config()
        },
        cancel: cancel.clone(),
        progress: Some(Arc::new(move |e: &SyncEvent| {
            if let SyncEvent::Item { done, total, .. } = e {
                assert!(done <= total);
                if n.fetch_add(1, Ordering::SeqCst) == 9 {
                    c.cancel();
                }
            }
        })),
        ..PushOptions::default()
    };
    let run = push(&mut fx.store, &account, &Token::new(common::TOKEN), &opts)
        .await
        .expect("push");
    assert_eq!(run.status, "cancelled");
    let first = crm.counts().creates;
    assert!(first > 0 && (first as usize) < 40, "{first}");
    assert_eq!(run.items.len() as u32, items.load(Ordering::SeqCst));
    // The next push does the rest, and nothing twice.
    let rest = common::push_all(&mut fx.store, &account).await;
    assert_eq!(rest.status, "done");
    assert_eq!(crm.counts().creates, 40);
    assert_eq!(crm.people().len(), 40);
    assert_eq!(rest.summary.unchanged as u64, first);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_push_keeps_the_edit_pending() {
    let crm = common::start(
        Provider::Pipedrive,
        common::fake_options(Provider::Pipedrive),
    )
    .await;
    let mut fx = common::fixture(20);
    let account = common::account(&mut fx.store, &crm);
    crm.push_fault(Fault::status(400).on("POST", "/persons").times(2));
    let run = common::push_all(&mut fx.store, &account).await;
    assert_eq!(run.summary.failed, 2);
    let status = carnet_sync::status(&fx.store).expect("status");
    assert_eq!(status[0].failed, 2);
    assert!(status[0].pending >= 2);
    let again = common::push_all(&mut fx.store, &account).await;
    assert_eq!(again.summary.created, 2);
    assert_eq!(again.summary.failed, 0);
    assert_eq!(crm.counts().creates as usize, crm.people().len());
    // An update that fails stays pending too, then goes through once.
    let people = common::all_people(&fx.store);
    let p = people
        .iter()
        .find(|p| !p.full_name.is_empty())
        .expect("named");
    fx.store
        .update_person(&p.id, &json!({"jobTitle": "Pending edit"}))
        .expect("edit");
    crm.push_fault(Fault::status(400).on("PUT", "/persons"));
    let failed = common::push_all(&mut fx.store, &account).await;
    assert_eq!(failed.summary.failed, 1);
    let updates = crm.counts().updates;
    let ok = common::push_all(&mut fx.store, &account).await;
    assert_eq!(ok.summary.updated, 1);
    assert_eq!(crm.counts().updates, updates + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_never_reaches_sqlite_or_errors() {
    let crm = common::start(
        Provider::Pipedrive,
        common::fake_options(Provider::Pipedrive),
    )
    .await;
    let mut fx = common::fixture(15);
    let account = common::account(&mut fx.store, &crm);
    common::push_all(&mut fx.store, &account).await;
    // A wrong token: the error names the problem, not the token.
    let wrong = "wrong-token-4242-secret";
    let people = common::all_people(&fx.store);
    fx.store
        .update_person(&people[0].id, &json!({"jobTitle": "Changed"}))
        .expect("edit");
    let err = push(
        &mut fx.store,
        &account,
        &Token::new(wrong),
        &common::options(),
    )
    .await
    .expect_err("refused");
    assert_eq!(err.code(), "auth");
    assert!(err.is_permanent());
    let text = format!("{err} {err:?}");
    assert!(
        !text.contains(wrong) && !text.contains(common::TOKEN),
        "{text}"
    );
    assert_eq!(format!("{:?}", Token::new(wrong)), "Token(***)");
    let runs = carnet_sync::list_runs(&fx.store, None, 10).expect("runs");
    assert_eq!(runs[0].status, "failed");
    // No token in the database file or its WAL.
    drop(fx.store);
    for file in [fx.path.clone(), fx.path.with_extension("db-wal")] {
        let bytes = std::fs::read(&file).unwrap_or_default();
        for t in [common::TOKEN, wrong] {
            assert!(
                !bytes.windows(t.len()).any(|w| w == t.as_bytes()),
                "token in {}",
                file.display()
            );
        }
    }
}
