//! The job lifecycle on real SQLite files: enqueue returns at once, workers run jobs and
//! report progress events, cancel stops a running job before its next person, and a job
//! a dead process left `running` resumes where it stopped after a restart.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use carnet_enrich::enricher::{ready, EnrichFuture};
use carnet_enrich::{
    Engine, EngineOptions, EnrichEvent, EnrichInput, Enricher, JobState, JobTarget, Proposal,
};
use serde_json::json;

/// Records the people it sees; optionally slow.
#[derive(Default)]
struct Probe {
    seen: Mutex<Vec<String>>,
    delay: Duration,
}

impl Enricher for Probe {
    fn source(&self) -> &'static str {
        "test:probe"
    }

    fn enrich<'a>(&'a self, input: &'a EnrichInput) -> EnrichFuture<'a> {
        if let Ok(mut seen) = self.seen.lock() {
            seen.push(input.person.id.clone());
        }
        if self.delay.is_zero() {
            return ready(Ok(vec![Proposal::fact("probe", "seen", 1.0)]));
        }
        let d = self.delay;
        Box::pin(async move {
            tokio::time::sleep(d).await;
            Ok(vec![Proposal::fact("probe", "seen", 1.0)])
        })
    }
}

fn opts(probe: &Arc<Probe>) -> EngineOptions {
    EngineOptions {
        remote: false,
        extra: vec![probe.clone() as Arc<dyn Enricher>],
        poll_every: Duration::from_millis(50),
        ..Default::default()
    }
}

fn people(eng: &Engine, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            eng.with_store(|s| {
                s.create_person(&json!({"firstName": format!("P{i}"), "lastName": "Test"}))
            })
            .unwrap()
            .id
        })
        .collect()
}

#[tokio::test]
async fn workers_run_jobs_and_report_progress() {
    let dir = tempfile::tempdir().unwrap();
    let probe = Arc::new(Probe::default());
    let eng = Engine::open(&dir.path().join("c.db"), opts(&probe)).unwrap();
    let ids = people(&eng, 3);
    let mut rx = eng.subscribe();
    let job = eng.enqueue(JobTarget::All).unwrap();
    assert_eq!(
        (job.state, job.total, job.kind.as_str()),
        (JobState::Queued, 3, "enrich_all")
    );
    let workers = eng.start();
    let done = tokio::time::timeout(Duration::from_secs(10), eng.wait_for(&job.id))
        .await
        .unwrap()
        .unwrap();
    workers.shutdown().await;
    assert_eq!(done.state, JobState::Done);
    assert_eq!((done.done, done.attempts), (3, 1));
    assert!(done.started_at.is_some() && done.finished_at.is_some());

    let mut kinds = Vec::new();
    while let Ok(e) = rx.try_recv() {
        kinds.push(match e {
            EnrichEvent::JobQueued { .. } => "queued".to_string(),
            EnrichEvent::JobStarted { .. } => "started".to_string(),
            EnrichEvent::JobProgress { done, total, .. } => format!("{done}/{total}"),
            EnrichEvent::JobFinished { job } => format!("finished:{}", job.state.as_str()),
            EnrichEvent::PersonChanged { .. } => continue,
        });
    }
    assert_eq!(
        kinds,
        ["queued", "started", "1/3", "2/3", "3/3", "finished:done"]
    );
    let mut seen = probe.seen.lock().unwrap().clone();
    seen.sort();
    let mut want = ids.clone();
    want.sort();
    assert_eq!(seen, want);

    // Events serialize in the shape the desktop app forwards.
    let e = serde_json::to_value(EnrichEvent::JobProgress {
        job_id: "j".into(),
        done: 1,
        total: 2,
        outcome: Default::default(),
    })
    .unwrap();
    assert_eq!(e["type"], "jobProgress");
    assert_eq!(e["jobId"], "j");
}

#[tokio::test]
async fn search_and_selection_targets() {
    let dir = tempfile::tempdir().unwrap();
    let probe = Arc::new(Probe::default());
    let eng = Engine::open(&dir.path().join("c.db"), opts(&probe)).unwrap();
    let ids = people(&eng, 3);
    let j = eng.enqueue(JobTarget::Search("P1".into())).unwrap();
    assert_eq!(
        (j.kind.as_str(), j.person_ids.clone()),
        ("enrich_search", vec![ids[1].clone()])
    );
    assert_eq!(j.query.as_deref(), Some("P1"));
    let j = eng
        .enqueue(JobTarget::People(vec![
            ids[2].clone(),
            ids[0].clone(),
            ids[2].clone(),
        ]))
        .unwrap();
    assert_eq!(j.person_ids, vec![ids[2].clone(), ids[0].clone()]);
    let err = eng
        .enqueue(JobTarget::People(vec!["nope".into()]))
        .unwrap_err();
    assert_eq!(err.code, carnet_core::ErrorCode::NotFound);
}

#[tokio::test]
async fn cancel_stops_a_running_job_before_the_next_person() {
    let dir = tempfile::tempdir().unwrap();
    let probe = Arc::new(Probe {
        delay: Duration::from_millis(300),
        ..Default::default()
    });
    let eng = Engine::open(&dir.path().join("c.db"), opts(&probe)).unwrap();
    people(&eng, 6);
    let mut rx = eng.subscribe();
    let job = eng.enqueue(JobTarget::All).unwrap();
    let workers = eng.start();
    // Cancel once the first person is done.
    loop {
        match tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .unwrap()
            .unwrap()
        {
            EnrichEvent::JobProgress { done: 1, .. } => break,
            _ => continue,
        }
    }
    let cancelled = eng.cancel(&job.id).unwrap();
    assert_eq!(cancelled.state, JobState::Cancelled);
    let end = eng.wait_for(&job.id).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    workers.shutdown().await;
    let after = eng.job(&job.id).unwrap();
    assert_eq!(after.state, JobState::Cancelled);
    assert!(
        after.done <= 2,
        "stopped at the next person, not the end: {after:?}"
    );
    assert_eq!(after.done, end.done.max(after.done));
    assert!(probe.seen.lock().unwrap().len() <= 2);
    // A finished job cannot be cancelled again.
    assert_eq!(
        eng.cancel(&job.id).unwrap_err().code,
        carnet_core::ErrorCode::Validation
    );
}

#[tokio::test]
async fn a_queued_job_cancelled_never_runs() {
    let dir = tempfile::tempdir().unwrap();
    let probe = Arc::new(Probe::default());
    let eng = Engine::open(&dir.path().join("c.db"), opts(&probe)).unwrap();
    let ids = people(&eng, 1);
    let q = eng.enqueue_person(&ids[0]).unwrap();
    eng.cancel(&q.job_id).unwrap();
    eng.run_pending().await.unwrap();
    assert_eq!(eng.job(&q.job_id).unwrap().state, JobState::Cancelled);
    assert!(probe.seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_job_left_running_by_a_dead_process_resumes_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let first = Arc::new(Probe::default());
    let eng = Engine::open(&path, opts(&first)).unwrap();
    let ids = people(&eng, 3);
    let job = eng.enqueue(JobTarget::People(ids.clone())).unwrap();
    // The process is killed after the first person: the row says running, done = 1.
    eng.with_store(|s| {
        s.transaction(|tx| {
            tx.execute(
                "UPDATE jobs SET state = 'running', done = 1, attempts = 1, started_at = '2026-01-01T00:00:00.000Z', heartbeat_at = '2026-01-01T00:00:00.000Z' WHERE id = ?1",
                [&job.id],
            )?;
            Ok(())
        })
    })
    .unwrap();
    drop(eng);

    // Reopen: the stale job is queued again and resumes at person 2.
    let second = Arc::new(Probe::default());
    let eng = Engine::open(&path, opts(&second)).unwrap();
    assert_eq!(eng.job(&job.id).unwrap().state, JobState::Queued);
    eng.run_pending().await.unwrap();
    let j = eng.job(&job.id).unwrap();
    assert_eq!(
        (j.state, j.done, j.attempts),
        (JobState::Done, 3, 2),
        "{j:?}"
    );
    assert_eq!(*second.seen.lock().unwrap(), ids[1..].to_vec());
}

#[tokio::test]
async fn a_live_job_is_not_stolen_and_a_crash_loop_gives_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let probe = Arc::new(Probe::default());
    let eng = Engine::open(&path, opts(&probe)).unwrap();
    let ids = people(&eng, 2);
    let live = eng.enqueue_person(&ids[0]).unwrap().job_id;
    let looping = eng.enqueue_person(&ids[1]).unwrap().job_id;
    let now = carnet_core::db::now();
    eng.with_store(|s| {
        s.transaction(|tx| {
            tx.execute("UPDATE jobs SET state = 'running', heartbeat_at = ?2 WHERE id = ?1", [&live, &now])?;
            tx.execute(
                "UPDATE jobs SET state = 'running', attempts = 5, heartbeat_at = '2026-01-01T00:00:00.000Z' WHERE id = ?1",
                [&looping],
            )?;
            Ok(())
        })
    })
    .unwrap();
    assert_eq!(eng.recover().unwrap(), 1);
    eng.run_pending().await.unwrap();
    assert_eq!(
        eng.job(&live).unwrap().state,
        JobState::Running,
        "another process is on it"
    );
    let j = eng.job(&looping).unwrap();
    assert_eq!(j.state, JobState::Failed);
    assert!(j.error.unwrap_or_default().contains("gave up"));
}

#[tokio::test]
async fn shutdown_requeues_a_running_job_which_resumes_without_repeating_anyone() {
    let dir = tempfile::tempdir().unwrap();
    let probe = Arc::new(Probe {
        delay: Duration::from_millis(100),
        ..Default::default()
    });
    let eng = Engine::open(&dir.path().join("c.db"), opts(&probe)).unwrap();
    people(&eng, 4);
    let mut rx = eng.subscribe();
    let job = eng.enqueue(JobTarget::All).unwrap();
    let workers = eng.start();
    loop {
        if let EnrichEvent::JobProgress { done: 1, .. } =
            tokio::time::timeout(Duration::from_secs(10), rx.recv())
                .await
                .unwrap()
                .unwrap()
        {
            break;
        }
    }
    workers.shutdown().await;
    let paused = eng.job(&job.id).unwrap();
    assert_eq!(paused.state, JobState::Queued, "{paused:?}");
    assert!(paused.done >= 1 && paused.done < 4);
    eng.run_pending().await.unwrap();
    let j = eng.job(&job.id).unwrap();
    assert_eq!((j.state, j.done, j.attempts), (JobState::Done, 4, 2));
    let mut seen = probe.seen.lock().unwrap().clone();
    let n = seen.len();
    seen.dedup();
    seen.sort();
    seen.dedup();
    assert_eq!((n, seen.len()), (4, 4), "each person enriched once");
}

/// "Enrich the people shown": a list query's search and filters pick the people, its
/// paging does not, and trashed people are never included.
#[tokio::test]
async fn query_target_takes_the_list_filters() {
    let dir = tempfile::tempdir().unwrap();
    let probe = Arc::new(Probe::default());
    let eng = Engine::open(&dir.path().join("c.db"), opts(&probe)).unwrap();
    let ids = people(&eng, 4);
    eng.with_store(|s| {
        for id in &ids[..3] {
            s.update_person(id, &json!({"tags": ["vip"]}))?;
        }
        s.trash_person(&ids[2])
    })
    .unwrap();
    let query = carnet_core::PeopleQuery {
        tag: Some("vip".into()),
        limit: 1,
        offset: 1,
        ..Default::default()
    };
    let j = eng.enqueue(JobTarget::Query(query)).unwrap();
    assert_eq!(j.kind, "enrich_query");
    assert_eq!(j.person_ids, vec![ids[0].clone(), ids[1].clone()]);
    assert!(j.query.as_deref().unwrap_or("").contains("\"tag\":\"vip\""));
    let none = carnet_core::PeopleQuery {
        search: Some("nobody at all".into()),
        ..Default::default()
    };
    let j = eng.enqueue(JobTarget::Query(none)).unwrap();
    assert!(j.person_ids.is_empty());
}
