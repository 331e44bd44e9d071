//! `carnet sync push --provider P --base-url URL` against a local fake CRM, with the token
//! in CARNET_SYNC_TOKEN: the last stdout line is the JSON summary, a second push is all
//! unchanged, a dry run sends nothing, and the token appears nowhere in output or the db.

use std::process::{Command, Output};

use carnet_fakecrm::{FakeCrm, Options, Provider};
use serde_json::{json, Value};

const TOKEN: &str = "cli-secret-token-91c";

fn carnet(db: &std::path::Path, args: &[&str], token: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_carnet"));
    c.arg("--db").arg(db).args(args).env_remove("CARNET_DB");
    match token {
        Some(t) => c.env("CARNET_SYNC_TOKEN", t),
        None => c.env_remove("CARNET_SYNC_TOKEN"),
    };
    c.output().unwrap()
}

fn last_line(o: &Output) -> Value {
    let out = String::from_utf8_lossy(&o.stdout);
    let line = out.lines().last().unwrap_or_default();
    serde_json::from_str(line).unwrap_or_else(|e| panic!("last line {line:?}: {e}\n{out}"))
}

#[test]
fn sync_push_headless_prints_summary_last() {
    let crm = FakeCrm::start_blocking(Provider::Folk, Options::with_token(TOKEN)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    for body in [
        json!({"firstName": "Zoë", "lastName": "Åberg", "emails": [{"value": "zoe@example.com"}]}),
        json!({"firstName": "Łukasz", "phones": [{"value": "+33 6 12 34 56 78"}]}),
        json!({"lastName": "Иванова", "jobTitle": "CTO", "tags": ["vip"]}),
    ] {
        let o = carnet(&db, &["people", "add", "--json", &body.to_string()], None);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let base = crm.base_url();
    let args = [
        "sync",
        "push",
        "--provider",
        "folk",
        "--base-url",
        base.as_str(),
    ];

    // Dry run: the would-be payloads, nothing sent.
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    let o = carnet(&db, &dry, Some(TOKEN));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        last_line(&o),
        json!({"created": 3, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0})
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("payload: {"));
    assert_eq!(crm.counts().creates, 0);

    let mut with_json = args.to_vec();
    with_json.push("--json");
    let o = carnet(&db, &with_json, Some(TOKEN));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        last_line(&o),
        json!({"created": 3, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0})
    );
    assert_eq!(crm.counts().creates, 3);

    let o = carnet(&db, &args, Some(TOKEN));
    assert!(o.status.success());
    assert_eq!(
        last_line(&o),
        json!({"created": 0, "updated": 0, "unchanged": 3, "skipped": 0, "failed": 0})
    );

    // Status and log read the same database.
    let o = carnet(&db, &["sync", "status", "--json"], None);
    let status: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(status[0]["synced"], json!(3));
    let o = carnet(&db, &["sync", "log", "--json"], None);
    let runs: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(runs.as_array().unwrap().len(), 3);

    // No token: a clear error, no panic. A wrong token: the auth error, without the token.
    let o = carnet(&db, &args, None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("CARNET_SYNC_TOKEN"));
    let o = carnet(&db, &["people", "list", "--json"], None);
    let people: Value = serde_json::from_slice(&o.stdout).unwrap();
    let first = people
        .get("items")
        .unwrap_or(&people)
        .get(0)
        .cloned()
        .unwrap();
    let id = first["id"].as_str().unwrap().to_string();
    let o = carnet(
        &db,
        &["people", "update", &id, "--json", r#"{"jobTitle": "CEO"}"#],
        None,
    );
    assert!(o.status.success());
    let o = carnet(&db, &args, Some("wrong-token-xyz"));
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("[auth]"), "{err}");
    assert!(!err.contains("wrong-token-xyz"));

    drop(crm);
    let bytes = std::fs::read(&db).unwrap();
    let wal = std::fs::read(dir.path().join("c.db-wal")).unwrap_or_default();
    for b in [bytes, wal] {
        assert!(
            !b.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()),
            "token in the db"
        );
    }
}
