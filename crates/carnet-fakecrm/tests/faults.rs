//! Fault injection: each fault kind, matching, rate limit, admin endpoint, the
//! blocking helper and the binary.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::time::Duration;

use carnet_fakecrm::{FakeCrm, Fault, FaultKind, Options, Provider, RateLimit};
use common::{client, send, start, start_with, TOKEN};
use serde_json::{json, Value};

fn folk_person(n: usize) -> Value {
    json!({ "firstName": format!("P{n}"), "emails": [format!("p{n}@x.io")] })
}

fn folk_create(crm: &carnet_fakecrm::FakeCrmHandle, n: usize) -> reqwest::RequestBuilder {
    client()
        .post(crm.people_url())
        .bearer_auth(TOKEN)
        .json(&folk_person(n))
}

#[tokio::test]
async fn status_429_with_retry_after_then_passes() {
    let crm = start(Provider::Folk).await;
    crm.push_fault(Fault::rate_limited(7).on("POST", "/v1/people"));
    let resp = folk_create(&crm, 1).send().await.expect("answered");
    assert_eq!(resp.status().as_u16(), 429);
    assert_eq!(resp.headers()["retry-after"], "7");
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["error"]["code"], json!("RATE_LIMIT_EXCEEDED"));
    assert!(
        crm.people().is_empty(),
        "a faulted request is not processed"
    );
    assert_eq!(send(folk_create(&crm, 1)).await.0, 200, "fault used up");
    assert_eq!(crm.people().len(), 1);
    assert!(crm.pending_faults().is_empty());
}

#[tokio::test]
async fn server_errors_use_each_provider_shape() {
    for (provider, check) in [
        (Provider::Introzy, "/success"),
        (Provider::Folk, "/error/code"),
        (Provider::Allo, "/error/type"),
        (Provider::Pipedrive, "/success"),
    ] {
        let crm = start(provider).await;
        for status in [500u16, 502, 503] {
            crm.push_fault(Fault::status(status));
            let req = client()
                .get(format!("{}?api_token={TOKEN}", crm.people_url()))
                .header(
                    "Authorization",
                    if provider == Provider::Allo {
                        TOKEN.to_string()
                    } else {
                        format!("Bearer {TOKEN}")
                    },
                );
            let (got, body) = send(req).await;
            assert_eq!(got, status, "{provider}");
            assert!(body.pointer(check).is_some(), "{provider} {status}: {body}");
        }
        let log = crm.requests();
        assert_eq!(log.len(), 3);
        assert_eq!(log[2].fault.as_deref(), Some("status 503"));
    }
}

#[tokio::test]
async fn custom_body_and_times() {
    let crm = start(Provider::Introzy).await;
    crm.push_fault(Fault {
        kind: FaultKind::Status {
            status: 502,
            retry_after: None,
            body: Some(json!({ "gateway": "down" })),
        },
        ..Fault::status(502).times(2)
    });
    let list = || client().get(crm.people_url()).bearer_auth(TOKEN);
    assert_eq!(send(list()).await, (502, json!({ "gateway": "down" })));
    assert_eq!(send(list()).await.0, 502);
    assert_eq!(send(list()).await.0, 200);
}

#[tokio::test]
async fn delay_processes_then_answers_late() {
    let crm = start(Provider::Folk).await;
    crm.push_fault(Fault::delay(Duration::from_millis(1500)).on("POST", "/v1/people"));
    let impatient = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let err = impatient
        .post(crm.people_url())
        .bearer_auth(TOKEN)
        .json(&folk_person(1))
        .send()
        .await;
    assert!(err.is_err_and(|e| e.is_timeout()), "client timed out");
    assert_eq!(crm.counts().creates, 1, "the slow request was processed");
    assert_eq!(crm.people().len(), 1);
    // A patient client gets the answer.
    crm.push_fault(Fault::delay(Duration::from_millis(200)));
    let started = std::time::Instant::now();
    assert_eq!(send(folk_create(&crm, 2)).await.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn drop_before_processing_stores_nothing() {
    let crm = start(Provider::Allo).await;
    crm.push_fault(Fault::drop_before().on("POST", "/v2/api/crm/people"));
    let body = json!({ "name": "John", "numbers": ["+33612345678"] });
    let req = || {
        client()
            .post(crm.people_url())
            .header("Authorization", TOKEN)
            .json(&body)
    };
    let result = req().send().await;
    assert!(result.is_err(), "connection closed without an answer");
    assert!(crm.people().is_empty());
    let log = crm.requests();
    assert_eq!((log[0].status, log[0].answered), (None, false));
    assert_eq!(log[0].fault.as_deref(), Some("drop_before"));
    assert_eq!(send(req()).await.0, 201, "retry succeeds");
}

#[tokio::test]
async fn drop_after_processing_stores_the_record_without_answering() {
    for provider in [
        Provider::Introzy,
        Provider::Folk,
        Provider::Allo,
        Provider::Pipedrive,
    ] {
        let crm = start(provider).await;
        crm.push_fault(Fault::drop_after().on("POST", provider.people_path()));
        let (body, auth) = match provider {
            Provider::Introzy => (
                json!({ "email": "a@b.co", "firstName": "A" }),
                format!("Bearer {TOKEN}"),
            ),
            Provider::Folk => (folk_person(1), format!("Bearer {TOKEN}")),
            Provider::Allo => (
                json!({ "name": "A", "numbers": ["+33612345678"] }),
                TOKEN.to_string(),
            ),
            Provider::Pipedrive => (json!({ "name": "A" }), format!("Bearer {TOKEN}")),
        };
        let req = || {
            client()
                .post(crm.people_url())
                .header("Authorization", &auth)
                .json(&body)
        };
        let result = req().send().await;
        assert!(result.is_err(), "{provider}: no answer");
        assert_eq!(crm.people().len(), 1, "{provider}: the record IS created");
        assert_eq!(crm.counts().creates, 1);
        let log = crm.requests();
        assert!(
            log[0].status.is_some_and(|s| (200..300).contains(&s)),
            "{provider}: {:?}",
            log[0]
        );
        assert!(!log[0].answered);
        // A naive retry shows why sync must look the record up first.
        let (status, _) = send(req()).await;
        match provider {
            Provider::Introzy | Provider::Allo => assert_eq!(status, 409, "{provider}"),
            _ => assert_eq!(crm.people().len(), 2, "{provider} duplicates"),
        }
    }
}

#[tokio::test]
async fn matching_by_method_and_path_prefix_and_skip() {
    let crm = start(Provider::Pipedrive).await;
    crm.push_fault(Fault::status(503).on("POST", "/persons").skip(1));
    let list = || client().get(crm.people_url()).bearer_auth(TOKEN);
    let create = |n: &str| {
        client()
            .post(crm.people_url())
            .bearer_auth(TOKEN)
            .json(&json!({ "name": n }))
    };
    assert_eq!(send(list()).await.0, 200, "GET is not matched");
    assert_eq!(send(create("one")).await.0, 201, "first POST skipped");
    assert_eq!(send(create("two")).await.0, 503, "second POST faulted");
    assert_eq!(send(create("three")).await.0, 201);
    assert_eq!(crm.people().len(), 2);
}

#[tokio::test]
async fn options_rate_limit_per_token() {
    let mut options = Options::with_token(TOKEN);
    options.rate_limit = Some(RateLimit {
        max_requests: 2,
        window: Duration::from_secs(30),
    });
    let crm = start_with(Provider::Introzy, options).await;
    let list = || client().get(crm.people_url()).bearer_auth(TOKEN);
    assert_eq!(send(list()).await.0, 200);
    assert_eq!(send(list()).await.0, 200);
    let resp = list().send().await.expect("answered");
    assert_eq!(resp.status().as_u16(), 429);
    let secs: u64 = resp.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("secs");
    assert!((1..=30).contains(&secs));
}

#[tokio::test]
async fn faults_queued_in_options_and_through_admin() {
    let mut options = Options::with_token(TOKEN);
    options.faults.push(Fault::status(500));
    let crm = start_with(Provider::Folk, options).await;
    let list = || client().get(crm.people_url()).bearer_auth(TOKEN);
    assert_eq!(send(list()).await.0, 500);
    let admin = format!("{}/__faults", crm.admin_url());
    let (status, _) = send(client().post(&admin).json(&json!([
        { "kind": "status", "status": 429, "retry_after": 1, "method": "GET", "path_prefix": "/v1/people" },
        { "kind": "drop_after", "method": "POST" }
    ])))
    .await;
    assert_eq!(status, 201);
    assert_eq!(crm.pending_faults().len(), 2);
    assert_eq!(send(list()).await.0, 429);
    assert!(folk_create(&crm, 1).send().await.is_err());
    let (status, state) = send(client().get(format!("{}/__state", crm.admin_url()))).await;
    assert_eq!(status, 200);
    assert_eq!(state["counts"]["creates"], json!(1));
    assert_eq!(state["people"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        state["requests"].as_array().map(Vec::len),
        Some(3),
        "admin calls are not logged"
    );
    send(
        client()
            .post(&admin)
            .json(&json!({ "kind": "status", "status": 503 })),
    )
    .await;
    assert_eq!(send(client().delete(&admin)).await.0, 204);
    assert_eq!(send(list()).await.0, 200);
    let (status, _) = send(client().post(&admin).json(&json!({ "kind": "explode" }))).await;
    assert_eq!(status, 400);
    let (status, body) = send(
        client()
            .post(format!("{}/__seed", crm.admin_url()))
            .json(&json!({ "groups": [{ "name": "VIP" }] })),
    )
    .await;
    assert_eq!(status, 201);
    assert!(body["ids"][0]
        .as_str()
        .is_some_and(|id| id.starts_with("grp_")));
}

#[test]
fn blocking_helper_serves_without_an_async_test() {
    let crm =
        FakeCrm::start_blocking(Provider::Introzy, Options::with_token(TOKEN)).expect("starts");
    assert!(crm.base_url().starts_with("http://127.0.0.1:"));
    let mut stream = std::net::TcpStream::connect(crm.addr()).expect("connects");
    let request = format!(
        "GET /api/people HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("reads");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"success\":true"));
    assert_eq!(crm.requests().len(), 1);
}

#[test]
fn binary_prints_base_url_and_serves() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_carnet-fakecrm"))
        .args([
            "--provider",
            "pipedrive",
            "--port",
            "0",
            "--token",
            "T",
            "--exit-on-stdin-close",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("reads the URL");
    let base = line.trim().to_string();
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/api/v1"),
        "{base}"
    );
    let addr = base
        .trim_start_matches("http://")
        .trim_end_matches("/api/v1")
        .to_string();
    let mut stream = std::net::TcpStream::connect(&addr).expect("connects");
    stream
        .write_all(b"GET /api/v1/personFields?api_token=T HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("reads");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    drop(child.stdin.take());
    let status = child.wait().expect("exits");
    assert!(status.success());
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_carnet-fakecrm"))
        .args(["--provider", "folk", "--port", "8080"])
        .stderr(std::process::Stdio::null())
        .status()
        .expect("runs");
    assert_eq!(refused.code(), Some(2), "fixed ports are refused");
}
