//! Allo fake: each rule of allo-create-person.txt, search, partial PUT, idempotency.

mod common;

use carnet_fakecrm::{FakeCrmHandle, Provider};
use common::{client, send, start, url, TOKEN};
use serde_json::{json, Value};

fn post(crm: &FakeCrmHandle, path: &str, body: &Value) -> reqwest::RequestBuilder {
    // Allo takes the raw key as the Authorization value.
    client()
        .post(url(crm, path))
        .header("Authorization", TOKEN)
        .json(body)
}

async fn create(crm: &FakeCrmHandle, body: &Value) -> (u16, Value) {
    send(post(crm, "/v2/api/crm/people", body)).await
}

#[tokio::test]
async fn documented_example_creates_and_stores() {
    let crm = start(Provider::Allo).await;
    let company = crm.add_company("Acme Corp");
    let body = json!({
        "name": "John", "last_name": "Doe", "job_title": "CEO", "website": "https://example.com",
        "address": "123 Main St", "numbers": ["+33612345678"], "emails": ["john@example.com"],
        "company_id": company
    });
    let (status, resp) = create(&crm, &body).await;
    assert_eq!(status, 201, "{resp}");
    let p = &resp["data"];
    assert!(p["id"].as_str().is_some_and(|id| id.starts_with("per-")));
    assert_eq!(p["company"], json!({ "id": company, "name": "Acme Corp" }));
    assert_eq!(p["numbers"], json!(["+33612345678"]));
    assert!(p["created_at"]
        .as_str()
        .is_some_and(|t| t.len() == 19 && !t.ends_with('Z')));
    assert_eq!(crm.people().len(), 1);
    // last_name alone is enough.
    assert_eq!(
        create(
            &crm,
            &json!({ "last_name": "Solo", "numbers": ["+14155550100"] })
        )
        .await
        .0,
        201
    );
}

#[tokio::test]
async fn each_invalid_body_is_a_400_validation_error() {
    let crm = start(Provider::Allo).await;
    let cases: Vec<(&str, Value)> = vec![
        ("numbers", json!({ "name": "A" })),
        ("numbers", json!({ "name": "A", "numbers": [] })),
        ("numbers", json!({ "name": "A", "numbers": null })),
        (
            "numbers.0",
            json!({ "name": "A", "numbers": ["+33 6 12 34 56 78"] }),
        ),
        (
            "numbers.0",
            json!({ "name": "A", "numbers": ["0612345678"] }),
        ),
        (
            "numbers.1",
            json!({ "name": "A", "numbers": ["+33612345678", "+33-612"] }),
        ),
        ("name", json!({ "numbers": ["+33612345678"] })),
        (
            "name",
            json!({ "name": " ", "last_name": null, "numbers": ["+33612345678"] }),
        ),
        (
            "emails.0",
            json!({ "name": "A", "numbers": ["+33612345678"], "emails": ["nope"] }),
        ),
        (
            "allow_duplicate_number",
            json!({ "name": "A", "numbers": ["+33612345678"], "allow_duplicate_number": "yes" }),
        ),
        (
            "first_name",
            json!({ "first_name": "A", "numbers": ["+33612345678"] }),
        ),
    ];
    for (param, body) in cases {
        let (status, resp) = create(&crm, &body).await;
        assert_eq!(status, 400, "{body}: {resp}");
        let e = &resp["error"];
        assert_eq!(e["type"], json!("validation_error"));
        assert_eq!(e["retryable"], json!(false));
        assert!(e["request_id"]
            .as_str()
            .is_some_and(|r| r.starts_with("req_")));
        assert!(
            e["errors"]
                .as_array()
                .is_some_and(|errs| errs.iter().any(|x| x["field"] == json!(param))),
            "{param}: {resp}"
        );
    }
    let (status, resp) = create(
        &crm,
        &json!({ "name": "A", "numbers": ["+33612345678"], "company_id": "com-missing" }),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(resp["error"]["code"], json!("COMPANY_NOT_FOUND"));
    assert!(crm.people().is_empty());
}

#[tokio::test]
async fn number_held_by_someone_else_is_a_409_naming_them() {
    let crm = start(Provider::Allo).await;
    let (_, first) = create(
        &crm,
        &json!({ "name": "John", "numbers": ["+33612345678"] }),
    )
    .await;
    let first_id = first["data"]["id"].clone();
    let (status, resp) = create(
        &crm,
        &json!({ "name": "Jean", "numbers": ["+14155550100", "+33612345678"] }),
    )
    .await;
    assert_eq!(status, 409, "{resp}");
    assert_eq!(resp["error"]["type"], json!("conflict_error"));
    assert_eq!(resp["error"]["existing_person_ids"], json!([first_id]));
    assert_eq!(crm.people().len(), 1);
    let body =
        json!({ "name": "Jean", "numbers": ["+33612345678"], "allow_duplicate_number": true });
    assert_eq!(create(&crm, &body).await.0, 201);
    assert_eq!(crm.people().len(), 2);
}

#[tokio::test]
async fn auth_is_the_raw_key() {
    let crm = start(Provider::Allo).await;
    let people = url(&crm, "/v2/api/crm/people/per-x");
    for req in [
        client().get(&people),
        client().get(&people).bearer_auth(TOKEN),
        client().get(&people).header("Authorization", "wrong"),
    ] {
        let (status, body) = send(req).await;
        assert_eq!(status, 401);
        assert_eq!(body["error"]["type"], json!("authentication_error"));
    }
    let (status, body) = send(client().get(&people).header("Authorization", TOKEN)).await;
    assert_eq!(status, 404, "authenticated, unknown person");
    assert_eq!(body["error"]["code"], json!("PERSON_NOT_FOUND"));
}

#[tokio::test]
async fn search_by_phone_and_email() {
    let crm = start(Provider::Allo).await;
    create(
        &crm,
        &json!({ "name": "Ann", "numbers": ["+33612345678"], "emails": ["ann@x.io"] }),
    )
    .await;
    create(
        &crm,
        &json!({ "name": "Ben", "numbers": ["+14155550100"], "emails": ["ben@y.io"] }),
    )
    .await;
    let search = |body: Value| post(&crm, "/v2/api/crm/people/search", &body);
    let names = |b: &Value| -> Vec<String> {
        b["data"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p["name"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (status, body) = send(search(
        json!({ "filters": { "phone_number": "+33612345678" } }),
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(names(&body), ["Ann"]);
    assert_eq!(
        body["pagination"],
        json!({ "page": 1, "size": 20, "total_count": 1, "total_pages": 1, "has_more": false })
    );
    let (_, body) = send(search(json!({ "filters": { "email": "BEN@y.io" } }))).await;
    assert_eq!(names(&body), ["Ben"]);
    let (_, body) = send(search(
        json!({ "filters": { "phone_number": "+33600000000" } }),
    ))
    .await;
    assert_eq!(names(&body), Vec::<String>::new());
    let (_, body) = send(search(json!({ "sort": "NAME_ASC", "size": 1 }))).await;
    assert_eq!(names(&body), ["Ann"]);
    assert_eq!(body["pagination"]["has_more"], json!(true));
    let (_, body) = send(search(json!({ "search": "ben" }))).await;
    assert_eq!(names(&body), ["Ben"]);
    for bad in [
        json!({ "size": 101 }),
        json!({ "page": 0 }),
        json!({ "filters": { "phone": "+1" } }),
        json!({ "sort": "RANDOM" }),
    ] {
        let (status, resp) = send(search(bad.clone())).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(resp["error"]["type"], json!("validation_error"));
    }
}

#[tokio::test]
async fn put_is_a_partial_update() {
    let crm = start(Provider::Allo).await;
    let company = crm.add_company("Acme Corp");
    let (_, created) = create(&crm, &json!({ "name": "John", "last_name": "Doe", "numbers": ["+33612345678"], "company_id": company })).await;
    let id = created["data"]["id"].as_str().expect("id").to_string();
    let (_, other) = create(
        &crm,
        &json!({ "name": "Other", "numbers": ["+14155550100"] }),
    )
    .await;
    let put = |body: Value| {
        client()
            .put(url(&crm, &format!("/v2/api/crm/people/{id}")))
            .header("Authorization", TOKEN)
            .json(&body)
    };
    let (status, body) = send(put(json!({ "job_title": "CTO" }))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["job_title"], json!("CTO"));
    assert_eq!(body["data"]["last_name"], json!("Doe"));
    assert_eq!(body["data"]["numbers"], json!(["+33612345678"]));
    let (_, body) = send(put(
        json!({ "numbers": ["+33700000000"], "company_id": "" }),
    ))
    .await;
    assert_eq!(body["data"]["numbers"], json!(["+33700000000"]), "replaces");
    assert_eq!(
        body["data"]["company"],
        Value::Null,
        "empty company_id unlinks"
    );
    let (status, body) = send(put(json!({ "numbers": ["+14155550100"] }))).await;
    assert_eq!(status, 409);
    assert_eq!(
        body["error"]["existing_person_ids"],
        json!([other["data"]["id"]])
    );
    assert_eq!(send(put(json!({ "numbers": [] }))).await.0, 400);
    assert_eq!(
        send(put(json!({ "name": null, "last_name": null })))
            .await
            .0,
        400
    );
    assert_eq!(crm.counts().updates, 2);
    let (status, _) = send(
        client()
            .put(url(&crm, "/v2/api/crm/people/per-nope"))
            .header("Authorization", TOKEN)
            .json(&json!({})),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn idempotency_key_replays_the_create() {
    let crm = start(Provider::Allo).await;
    let body = json!({ "name": "John", "numbers": ["+33612345678"] });
    let req = || post(&crm, "/v2/api/crm/people", &body).header("Idempotency-Key", "k-1");
    let (s1, b1) = send(req()).await;
    let (s2, b2) = send(req()).await;
    assert_eq!((s1, s2), (201, 201));
    assert_eq!(b1, b2);
    assert_eq!(crm.people().len(), 1);
    // Without the key the same body is a duplicate number.
    assert_eq!(create(&crm, &body).await.0, 409);
}
