//! Remote enrichers against servers on 127.0.0.1 only: a small local server for the
//! user's endpoint (answers, failures, 429 with Retry-After, slow answers) and the fake
//! Introzy of `carnet-fakecrm` (enrich, profile, the 400 without an email). Tokens must
//! reach the servers and never SQLite or a message.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use carnet_enrich::review;
use carnet_enrich::{
    Engine, EngineOptions, HttpConfig, IntrozyLink, IntrozyLinks, JobState, Secret,
};
use carnet_fakecrm::{FakeCrm, Options, Provider, Seed};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One request the test server saw.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    auth: Option<String>,
    body: Value,
}

/// A tiny HTTP/1.1 server: `/ok`, `/flaky` (503 twice), `/limited` (429 once with
/// Retry-After: 1), `/slow` (2 s), `/bad` (400 with a sentence).
async fn endpoint_server() -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let head_end = loop {
                    let n = sock.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                };
                let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                let header = |name: &str| {
                    head.lines()
                        .find_map(|l| {
                            l.split_once(':')
                                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                        })
                        .map(|(_, v)| v.trim().to_string())
                };
                let len: usize = header("content-length")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                while buf.len() < head_end + len {
                    let n = sock.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let body = serde_json::from_slice(&buf[head_end..]).unwrap_or(Value::Null);
                let route = path.split('?').next().unwrap_or("").to_string();
                let count = {
                    let mut l = log.lock().unwrap();
                    l.push(Seen {
                        path: path.clone(),
                        auth: header("authorization"),
                        body,
                    });
                    l.iter()
                        .filter(|s| s.path.split('?').next() == Some(route.as_str()))
                        .count()
                };
                let ok = json!({"confidence": 0.9, "fields": {"jobTitle": "CTO", "company": "Acme Robotics", "urls": ["https://jane.example"]}});
                let (status, extra, body) = match route.as_str() {
                    "/ok" => (200, "", ok),
                    "/flaky" if count <= 2 => (503, "", json!({"error": "busy"})),
                    "/flaky" => (200, "", ok),
                    "/limited" if count == 1 => {
                        (429, "Retry-After: 1\r\n", json!({"error": "slow down"}))
                    }
                    "/limited" => (200, "", ok),
                    "/slow" => {
                        tokio::time::sleep(Duration::from_secs(2)).await;
                        (200, "", ok)
                    }
                    _ => (400, "", json!({"error": "no match for this person"})),
                };
                let text = body.to_string();
                let reply = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{text}",
                    text.len()
                );
                let _ = sock.write_all(reply.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (base, seen)
}

fn fast_http() -> HttpConfig {
    HttpConfig {
        timeout: Duration::from_millis(400),
        connect_timeout: Duration::from_millis(400),
        retries: 2,
        min_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        min_interval: Duration::from_millis(1),
        max_retry_after: Duration::from_secs(2),
    }
}

fn engine(dir: &tempfile::TempDir, links: Option<Arc<dyn IntrozyLinks>>) -> Engine {
    let opts = EngineOptions {
        http: fast_http(),
        endpoint_token: Some(Secret::new("tok-endpoint-123")),
        introzy_links: links,
        ..Default::default()
    };
    Engine::open(&dir.path().join("c.db"), opts).unwrap()
}

/// Every text in the enrichment tables and settings, to look for secrets.
fn all_text(eng: &Engine) -> String {
    eng.with_store(|s| {
        let mut out = String::new();
        for t in [
            "jobs",
            "provenance",
            "suggestions",
            "person_history",
            "settings",
        ] {
            let mut st = s.connection().prepare(&format!("SELECT * FROM {t}"))?;
            let n = st.column_count();
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                for i in 0..n {
                    if let Ok(v) = r.get::<_, String>(i) {
                        out.push_str(&v);
                        out.push('\n');
                    }
                }
            }
        }
        Ok(out)
    })
    .unwrap()
}

async fn enrich_with_endpoint(eng: &Engine, url: &str) -> (String, carnet_enrich::Job) {
    eng.with_store(|s| review::set_endpoint_url(s, Some(url)))
        .unwrap();
    let id = eng
        .with_store(|s| {
            s.create_person(&json!({"emails": [format!("jane.doe@acme-robotics.com")]}))
        })
        .map(|p| p.id)
        .or_else(|_| {
            eng.with_store(|s| Ok(s.list_people(&Default::default())?.items[0].id.clone()))
        })
        .unwrap();
    let q = eng.enqueue_person(&id).unwrap();
    eng.run_pending().await.unwrap();
    (id, eng.job(&q.job_id).unwrap())
}

#[tokio::test]
async fn endpoint_fields_fill_with_provenance_and_the_token_stays_in_memory() {
    let (base, seen) = endpoint_server().await;
    let dir = tempfile::tempdir().unwrap();
    let eng = engine(&dir, None);
    let (id, job) = enrich_with_endpoint(&eng, &format!("{base}/ok")).await;
    assert_eq!(job.state, JobState::Done);
    assert!(job.notes.is_empty(), "{:?}", job.notes);
    let p = eng.with_store(|s| s.get_person(&id)).unwrap();
    assert_eq!(p.job_title.as_deref(), Some("CTO"));
    assert_eq!(p.urls[0].value, "https://jane.example");
    let prov = eng.with_store(|s| review::provenance(s, &id)).unwrap();
    let title = prov.iter().find(|x| x.field == "jobTitle").unwrap();
    assert_eq!(
        (title.source.as_str(), title.confidence),
        ("remote:endpoint", 0.9)
    );
    let req = seen.lock().unwrap()[0].clone();
    assert_eq!(req.auth.as_deref(), Some("Bearer tok-endpoint-123"));
    assert_eq!(req.body["emails"][0]["value"], "jane.doe@acme-robotics.com");
    assert!(!all_text(&eng).contains("tok-endpoint-123"));
}

#[tokio::test]
async fn endpoint_failures_retry_then_succeed() {
    let (base, seen) = endpoint_server().await;
    let dir = tempfile::tempdir().unwrap();
    let eng = engine(&dir, None);
    let (id, job) = enrich_with_endpoint(&eng, &format!("{base}/flaky")).await;
    assert!(job.notes.is_empty(), "{:?}", job.notes);
    assert_eq!(seen.lock().unwrap().len(), 3, "two 503s then the answer");
    assert_eq!(
        eng.with_store(|s| s.get_person(&id))
            .unwrap()
            .job_title
            .as_deref(),
        Some("CTO")
    );

    let started = Instant::now();
    let (_, job) = enrich_with_endpoint(&eng, &format!("{base}/limited")).await;
    assert!(job.notes.is_empty(), "{:?}", job.notes);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After honoured"
    );
}

#[tokio::test]
async fn slow_and_refusing_endpoints_become_notes_and_secrets_stay_out() {
    let (base, seen) = endpoint_server().await;
    let dir = tempfile::tempdir().unwrap();
    let eng = engine(&dir, None);
    let (id, job) = enrich_with_endpoint(&eng, &format!("{base}/slow")).await;
    assert_eq!(
        job.state,
        JobState::Done,
        "a remote failure does not fail the job"
    );
    assert!(
        job.notes
            .iter()
            .any(|n| n.source == "remote:endpoint" && n.message.contains("no answer in time")),
        "{:?}",
        job.notes
    );
    assert_eq!(seen.lock().unwrap().len(), 3, "timeouts are retried");
    // Local enrichment still happened.
    assert_eq!(
        eng.with_store(|s| s.get_person(&id))
            .unwrap()
            .first_name
            .as_deref(),
        Some("Jane")
    );

    let (_, job) = enrich_with_endpoint(&eng, &format!("{base}/bad?key=SECRET-IN-QUERY")).await;
    let note = job
        .notes
        .iter()
        .find(|n| n.source == "remote:endpoint")
        .unwrap();
    assert!(
        note.message.contains("400: no match for this person"),
        "{note:?}"
    );
    assert!(!note.message.contains("SECRET-IN-QUERY"));
    assert_eq!(
        seen.lock()
            .unwrap()
            .iter()
            .filter(|s| s.path.starts_with("/bad"))
            .count(),
        1,
        "4xx not retried"
    );
    let text = all_text(&eng);
    // The URL is a setting the user typed; it is the only place its query may appear.
    assert_eq!(text.matches("SECRET-IN-QUERY").count(), 1);
    assert!(!text.contains("tok-endpoint-123"));
}

#[tokio::test]
async fn endpoint_setting_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let eng = engine(&dir, None);
    assert!(eng
        .with_store(|s| review::set_endpoint_url(s, Some("ftp://x.example/e")))
        .is_err());
    assert!(eng
        .with_store(|s| review::set_endpoint_url(s, Some("not a url")))
        .is_err());
    let set = eng
        .with_store(|s| review::set_endpoint_url(s, Some("http://127.0.0.1:9/e")))
        .unwrap();
    assert_eq!(set.endpoint_url.as_deref(), Some("http://127.0.0.1:9/e"));
    let cleared = eng
        .with_store(|s| review::set_endpoint_url(s, None))
        .unwrap();
    assert_eq!(cleared.endpoint_url, None);
}

/// Links Carnet people to Introzy people (what the sync crate will provide).
struct Links {
    base: String,
    token: String,
    map: HashMap<String, String>,
}

impl IntrozyLinks for Links {
    fn introzy_link(&self, person_id: &str) -> Result<Option<IntrozyLink>, String> {
        Ok(self.map.get(person_id).map(|remote| IntrozyLink {
            remote_id: remote.clone(),
            base_url: self.base.clone(),
            token: Secret::new(self.token.clone()),
        }))
    }
}

#[tokio::test]
async fn introzy_enrich_for_linked_people() {
    let crm = FakeCrm::start(Provider::Introzy, Options::with_token("introzy-secret-tok"))
        .await
        .unwrap();
    let remote = crm.seed(Seed {
        people: vec![
            json!({"email": "jane.doe@acme-robotics.com", "firstName": "Jane", "lastName": "Doe", "companyName": "Acme Robotics", "phoneNumber": "+1 415 555 0101"}),
            json!({"email": "", "firstName": "Nomail"}),
        ],
        ..Seed::default()
    });
    let dir = tempfile::tempdir().unwrap();
    // Build the engine after the people exist so the links can name them.
    let seed_store = Engine::open(
        &dir.path().join("c.db"),
        EngineOptions {
            remote: false,
            ..Default::default()
        },
    )
    .unwrap();
    let a = seed_store
        .with_store(|s| s.create_person(&json!({"emails": ["jane.doe@acme-robotics.com"]})))
        .unwrap()
        .id;
    let b = seed_store
        .with_store(|s| s.create_person(&json!({"firstName": "Nomail"})))
        .unwrap()
        .id;
    let c = seed_store
        .with_store(|s| s.create_person(&json!({"firstName": "Unlinked"})))
        .unwrap()
        .id;
    drop(seed_store);
    let links = Links {
        base: crm.base_url(),
        token: crm.token().to_string(),
        map: HashMap::from([
            (a.clone(), remote[0].clone()),
            (b.clone(), remote[1].clone()),
        ]),
    };
    let eng = engine(&dir, Some(Arc::new(links)));
    let job = eng
        .enqueue(carnet_enrich::JobTarget::People(vec![
            a.clone(),
            b.clone(),
            c.clone(),
        ]))
        .unwrap();
    eng.run_pending().await.unwrap();
    let job = eng.job(&job.id).unwrap();
    assert_eq!(job.state, JobState::Done);

    let p = eng.with_store(|s| s.get_person(&a)).unwrap();
    assert_eq!(p.phones[0].e164.as_deref(), Some("+14155550101"));
    let prov = eng.with_store(|s| review::provenance(s, &a)).unwrap();
    assert!(
        prov.iter()
            .any(|x| x.field == "phones" && x.source == "remote:introzy"),
        "{prov:?}"
    );
    assert!(prov.iter().any(|x| x.field == "introzy.jobId"));
    assert_eq!(crm.enrich_jobs().len(), 1);

    let note = job
        .notes
        .iter()
        .find(|n| n.person_id == b)
        .expect("a note for the person without email");
    assert!(
        note.message
            .contains("Person email is required for enrichment"),
        "{note:?}"
    );
    assert!(
        job.notes.iter().all(|n| n.person_id != c),
        "unlinked people are simply skipped"
    );
    assert!(!all_text(&eng).contains("introzy-secret-tok"));
    assert!(crm
        .requests()
        .iter()
        .all(|r| r.path.starts_with("/api/people/")));
}

#[tokio::test]
async fn introzy_wrong_token_is_reported_without_the_token() {
    let crm = FakeCrm::start(Provider::Introzy, Options::with_token("right-token"))
        .await
        .unwrap();
    let remote = crm.seed(Seed {
        people: vec![json!({"email": "x@initech.com"})],
        ..Seed::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let pre = Engine::open(
        &dir.path().join("c.db"),
        EngineOptions {
            remote: false,
            ..Default::default()
        },
    )
    .unwrap();
    let a = pre
        .with_store(|s| s.create_person(&json!({"emails": ["x@initech.com"]})))
        .unwrap()
        .id;
    drop(pre);
    let links = Links {
        base: crm.base_url(),
        token: "wrong-token-xyz".into(),
        map: HashMap::from([(a.clone(), remote[0].clone())]),
    };
    let eng = engine(&dir, Some(Arc::new(links)));
    let q = eng.enqueue_person(&a).unwrap();
    eng.run_pending().await.unwrap();
    let job = eng.job(&q.job_id).unwrap();
    let note = job
        .notes
        .iter()
        .find(|n| n.source == "remote:introzy")
        .unwrap();
    assert!(note.message.contains("401"), "{note:?}");
    assert!(!note.message.contains("wrong-token-xyz"));
    assert!(!all_text(&eng).contains("wrong-token-xyz"));
}

#[tokio::test]
async fn requests_are_paced_by_the_rate_limit() {
    let (base, seen) = endpoint_server().await;
    let http = carnet_enrich::remote::Http::new(HttpConfig {
        min_interval: Duration::from_millis(100),
        ..fast_http()
    })
    .unwrap();
    let started = Instant::now();
    for _ in 0..4 {
        let v = http
            .json(
                reqwest::Method::POST,
                &format!("{base}/ok"),
                None,
                Some(&json!({})),
            )
            .await
            .unwrap();
        assert_eq!(v["fields"]["jobTitle"], "CTO");
    }
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(seen.lock().unwrap().len(), 4);
    assert!(seen.lock().unwrap().iter().all(|s| s.auth.is_none()));
    let err = http
        .json(reqwest::Method::GET, "file:///etc/passwd", None, None)
        .await
        .unwrap_err();
    assert!(err.is_permanent());
}

#[tokio::test]
async fn introzy_faults_are_retried_and_slow_answers_time_out() {
    use carnet_fakecrm::Fault;
    let crm = FakeCrm::start(Provider::Introzy, Options::with_token("tok"))
        .await
        .unwrap();
    let remote = crm.seed(Seed {
        people: vec![json!({"email": "sam@initech.com", "firstName": "Sam", "lastName": "Lee"})],
        ..Seed::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let pre = Engine::open(
        &dir.path().join("c.db"),
        EngineOptions {
            remote: false,
            ..Default::default()
        },
    )
    .unwrap();
    let a = pre
        .with_store(|s| s.create_person(&json!({"emails": ["sam@initech.com"]})))
        .unwrap()
        .id;
    drop(pre);
    let links = Links {
        base: crm.base_url(),
        token: "tok".into(),
        map: HashMap::from([(a.clone(), remote[0].clone())]),
    };
    let eng = engine(&dir, Some(Arc::new(links)));

    // A 429 then a 503 on the enrich call: retried, then the names arrive from Introzy.
    crm.push_fault(Fault::rate_limited(1).on("POST", "/api/people").times(1));
    crm.push_fault(Fault::status(503).on("POST", "/api/people").times(1));
    let q = eng.enqueue_person(&a).unwrap();
    eng.run_pending().await.unwrap();
    let job = eng.job(&q.job_id).unwrap();
    assert!(job.notes.is_empty(), "{:?}", job.notes);
    let p = eng.with_store(|s| s.get_person(&a)).unwrap();
    assert_eq!(
        (p.first_name.as_deref(), p.last_name.as_deref()),
        (Some("Sam"), Some("Lee"))
    );
    let prov = eng.provenance(&a).unwrap();
    let first = prov.iter().find(|x| x.field == "firstName").unwrap();
    assert_eq!(first.source, "remote:introzy", "the name came from Introzy");

    // Slower than the timeout on every try: a note, the job still done.
    crm.push_fault(
        Fault::delay(Duration::from_secs(2))
            .on("POST", "/api/people")
            .times(5),
    );
    let q = eng.enqueue_person(&a).unwrap();
    eng.run_pending().await.unwrap();
    let job = eng.job(&q.job_id).unwrap();
    assert_eq!(job.state, JobState::Done);
    let note = job
        .notes
        .iter()
        .find(|n| n.source == "remote:introzy")
        .unwrap();
    assert!(note.message.contains("no answer in time"), "{note:?}");
}
