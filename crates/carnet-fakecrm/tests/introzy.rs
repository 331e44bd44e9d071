//! Introzy fake: each rule of introzy-create-person.txt / introzy-people-api.txt.

mod common;

use carnet_fakecrm::{Provider, Seed};
use common::{client, long, send, start, url, TOKEN};
use serde_json::{json, Value};

async fn define_fields(crm: &carnet_fakecrm::FakeCrmHandle) {
    for (name, kind) in [("Favorite color", "text"), ("Budget", "number")] {
        let (status, body) = send(
            client()
                .post(url(crm, "/api/people/custom-fields"))
                .bearer_auth(TOKEN)
                .json(&json!({ "name": name, "fieldType": kind })),
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }
}

fn example() -> Value {
    // The document's own request example.
    json!({
        "email": "john@acme.com",
        "firstName": "John",
        "lastName": "Doe",
        "phoneNumber": "+1 555-123-4567",
        "address": "123 Main St, San Francisco, CA 94102",
        "companyId": "",
        "companyName": "Acme Inc",
        "customFields": { "cf_favorite_color": "blue", "cf_budget": 50000 }
    })
}

async fn create(crm: &carnet_fakecrm::FakeCrmHandle, body: &Value) -> (u16, Value) {
    send(
        client()
            .post(url(crm, "/api/people"))
            .bearer_auth(TOKEN)
            .json(body),
    )
    .await
}

#[tokio::test]
async fn documented_example_creates_and_stores() {
    let crm = start(Provider::Introzy).await;
    define_fields(&crm).await;
    let (status, body) = create(&crm, &example()).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["success"], json!(true));
    assert_eq!(body["message"], json!("Person created successfully"));
    let data = &body["data"];
    assert_eq!(data["email"], json!("john@acme.com"));
    assert_eq!(data["company"]["name"], json!("Acme Inc"));
    assert_eq!(data["customFields"]["cf_budget"], json!(50000));
    assert_eq!(data["isFullUser"], json!(false));
    let id = data["id"].as_str().expect("id");
    assert_eq!(id.len(), 36, "UUID id");
    assert_eq!(crm.people().len(), 1);
    assert_eq!(crm.person(id).expect("stored")["firstName"], json!("John"));
    assert_eq!(crm.companies().len(), 1);
    assert_eq!(crm.counts().creates, 1);
    // Same companyName links the existing company instead of creating another.
    let mut other = example();
    other["email"] = json!("jane@acme.com");
    let (status, _) = create(&crm, &other).await;
    assert_eq!(status, 201);
    assert_eq!(crm.companies().len(), 1);
}

#[tokio::test]
async fn each_invalid_body_is_a_400_naming_the_field() {
    let crm = start(Provider::Introzy).await;
    define_fields(&crm).await;
    let base = json!({ "email": "a@b.co", "firstName": "A" });
    let cases: Vec<(&str, Value)> = vec![
        ("email", json!({ "firstName": "A" })),
        (
            "email",
            json!({ "email": "not-an-email", "firstName": "A" }),
        ),
        ("email", json!({ "email": 42, "firstName": "A" })),
        ("firstName", json!({ "email": "a@b.co" })),
        ("firstName", json!({ "email": "a@b.co", "firstName": "" })),
        (
            "firstName",
            json!({ "email": "a@b.co", "firstName": long(101) }),
        ),
        ("lastName", json!({ "lastName": long(101) })),
        ("phoneNumber", json!({ "phoneNumber": long(51) })),
        ("address", json!({ "address": long(501) })),
        ("companyName", json!({ "companyName": long(201) })),
        ("companyId", json!({ "companyId": "company-uuid" })),
        (
            "customFields.cf_unknown",
            json!({ "customFields": { "cf_unknown": "x" } }),
        ),
        (
            "customFields.cf_budget",
            json!({ "customFields": { "cf_budget": "lots" } }),
        ),
        ("customFields", json!({ "customFields": ["cf_budget"] })),
        ("first_name", json!({ "first_name": "A" })),
    ];
    for (field, patch) in cases {
        let mut body = base.clone();
        if patch.get("email").is_some() || field == "email" || field == "firstName" {
            body = patch.clone();
        } else if let (Some(b), Some(p)) = (body.as_object_mut(), patch.as_object()) {
            b.extend(p.clone());
        }
        let (status, resp) = create(&crm, &body).await;
        assert_eq!(status, 400, "{field}: {resp}");
        assert_eq!(resp["success"], json!(false), "{field}");
        assert!(
            resp["error"].as_str().is_some_and(|e| e.contains(field)),
            "{field}: {resp}"
        );
        assert!(
            resp["details"]
                .as_array()
                .is_some_and(|d| d.iter().any(|i| i["field"] == json!(field))),
            "{field}: {resp}"
        );
    }
    assert!(crm.people().is_empty(), "bad input writes nothing");
}

#[tokio::test]
async fn limits_count_utf16_units_and_edges_pass() {
    let crm = start(Provider::Introzy).await;
    let ok = json!({ "email": "e@x.io", "firstName": long(100), "lastName": long(100),
                     "phoneNumber": long(50), "address": long(500), "companyName": long(200) });
    assert_eq!(create(&crm, &ok).await.0, 201);
    let emoji_ok = json!({ "email": "f@x.io", "firstName": "😀".repeat(50) });
    assert_eq!(create(&crm, &emoji_ok).await.0, 201);
    let emoji_long = json!({ "email": "g@x.io", "firstName": "😀".repeat(51) });
    assert_eq!(create(&crm, &emoji_long).await.0, 400);
}

#[tokio::test]
async fn duplicate_email_is_the_documented_409() {
    let crm = start(Provider::Introzy).await;
    let body = json!({ "email": "john@acme.com", "firstName": "John" });
    assert_eq!(create(&crm, &body).await.0, 201);
    let again = json!({ "email": "JOHN@acme.com", "firstName": "Johnny" });
    let (status, resp) = create(&crm, &again).await;
    assert_eq!(status, 409);
    assert_eq!(
        resp,
        json!({ "success": false, "error": "A person with this email already exists in your organization" })
    );
    assert_eq!(crm.people().len(), 1);
}

#[tokio::test]
async fn auth_is_bearer_only() {
    let crm = start(Provider::Introzy).await;
    let people = url(&crm, "/api/people");
    for req in [
        client().get(&people),
        client().get(&people).bearer_auth("wrong"),
        client().get(&people).header("Authorization", TOKEN),
        client().get(&people).basic_auth(TOKEN, Some("")),
    ] {
        let (status, body) = send(req).await;
        assert_eq!(status, 401);
        assert_eq!(body["success"], json!(false));
        assert!(body["error"].is_string());
    }
    assert_eq!(send(client().get(&people).bearer_auth(TOKEN)).await.0, 200);
}

#[tokio::test]
async fn missing_content_type_and_bad_json_are_400() {
    let crm = start(Provider::Introzy).await;
    let people = url(&crm, "/api/people");
    let (status, body) = send(
        client()
            .post(&people)
            .bearer_auth(TOKEN)
            .body(r#"{"email":"a@b.co","firstName":"A"}"#),
    )
    .await;
    assert_eq!((status, body["success"].clone()), (400, json!(false)));
    let (status, _) = send(
        client()
            .post(&people)
            .bearer_auth(TOKEN)
            .header("content-type", "application/json")
            .body("{nope"),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn list_searches_by_name_or_email_and_paginates() {
    let crm = start(Provider::Introzy).await;
    for (email, first) in [
        ("john@acme.com", "John"),
        ("jane@beta.io", "Jane"),
        ("bob@acme.com", "Bob"),
    ] {
        assert_eq!(
            create(&crm, &json!({ "email": email, "firstName": first }))
                .await
                .0,
            201
        );
    }
    let list = |q: &str| {
        client()
            .get(format!("{}?{q}", url(&crm, "/api/people")))
            .bearer_auth(TOKEN)
    };
    let (status, body) = send(list("search=jane@beta.io")).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["total"], json!(1));
    assert_eq!(body["data"]["people"][0]["firstName"], json!("Jane"));
    let (_, body) = send(list("search=ACME")).await;
    assert_eq!(body["data"]["total"], json!(2));
    let (_, body) = send(list("search=bob")).await;
    assert_eq!(body["data"]["people"][0]["email"], json!("bob@acme.com"));
    let (_, body) = send(list("limit=2")).await;
    assert_eq!(body["data"]["people"].as_array().map(Vec::len), Some(2));
    assert_eq!(body["data"]["hasMore"], json!(true));
    assert_eq!(body["data"]["limit"], json!(2));
    let (_, body) = send(list("limit=2&offset=2")).await;
    assert_eq!(body["data"]["hasMore"], json!(false));
    for bad in ["limit=0", "limit=101", "limit=x", "offset=-1"] {
        assert_eq!(send(list(bad)).await.0, 400, "{bad}");
    }
}

#[tokio::test]
async fn get_by_id_and_unknown_id() {
    let crm = start(Provider::Introzy).await;
    let (_, created) = create(&crm, &json!({ "email": "a@b.co", "firstName": "A" })).await;
    let id = created["data"]["id"].as_str().expect("id");
    let (status, body) = send(
        client()
            .get(url(&crm, &format!("/api/people/{id}")))
            .bearer_auth(TOKEN),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["id"], json!(id));
    let (status, body) = send(
        client()
            .get(url(&crm, "/api/people/nope"))
            .bearer_auth(TOKEN),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["success"], json!(false));
}

#[tokio::test]
async fn patch_changes_only_given_fields_and_merges_custom_fields() {
    let crm = start(Provider::Introzy).await;
    define_fields(&crm).await;
    let (_, created) = create(&crm, &example()).await;
    let id = created["data"]["id"].as_str().expect("id").to_string();
    let patch = |body: Value| {
        client()
            .patch(url(&crm, &format!("/api/people/{id}")))
            .bearer_auth(TOKEN)
            .json(&body)
    };
    let (status, body) = send(patch(
        json!({ "firstName": "Jane", "customFields": { "cf_budget": 1 } }),
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["message"], json!("Person updated successfully"));
    assert_eq!(body["data"]["firstName"], json!("Jane"));
    assert_eq!(body["data"]["lastName"], json!("Doe"), "untouched");
    assert_eq!(
        body["data"]["customFields"],
        json!({ "cf_favorite_color": "blue", "cf_budget": 1 })
    );
    let (_, body) = send(patch(
        json!({ "customFields": { "cf_favorite_color": null }, "lastName": null }),
    ))
    .await;
    assert_eq!(body["data"]["customFields"], json!({ "cf_budget": 1 }));
    assert_eq!(body["data"]["lastName"], Value::Null);
    assert_eq!(send(patch(json!({ "firstName": null }))).await.0, 400);
    assert_eq!(send(patch(json!({ "firstName": long(101) }))).await.0, 400);
    assert_eq!(
        send(patch(json!({ "customFields": { "cf_nope": 1 } })))
            .await
            .0,
        400
    );
    assert_eq!(crm.counts().updates, 2);
    // Email uniqueness applies to updates too.
    create(&crm, &json!({ "email": "taken@x.io", "firstName": "T" })).await;
    assert_eq!(send(patch(json!({ "email": "taken@x.io" }))).await.0, 409);
    let (status, _) = send(
        client()
            .patch(url(&crm, "/api/people/nope"))
            .bearer_auth(TOKEN)
            .json(&json!({})),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn full_user_email_cannot_change() {
    let crm = start(Provider::Introzy).await;
    let ids = crm.seed(Seed {
        people: vec![json!({ "email": "user@x.io", "firstName": "U", "isFullUser": true })],
        ..Seed::default()
    });
    let (status, body) = send(
        client()
            .patch(url(&crm, &format!("/api/people/{}", ids[0])))
            .bearer_auth(TOKEN)
            .json(&json!({ "email": "new@x.io" })),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["error"]
        .as_str()
        .is_some_and(|e| e.contains("active user accounts")));
}

#[tokio::test]
async fn enrich_returns_a_job_or_the_documented_400() {
    let crm = start(Provider::Introzy).await;
    let (_, created) = create(
        &crm,
        &json!({ "email": "john@acme.com", "firstName": "John", "lastName": "Doe" }),
    )
    .await;
    let id = created["data"]["id"].as_str().expect("id");
    let enrich = |id: &str| {
        client()
            .post(url(&crm, &format!("/api/people/{id}/enrich")))
            .bearer_auth(TOKEN)
    };
    let (status, body) = send(enrich(id)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["message"],
        json!("Enrichment job created for John Doe")
    );
    let job = &body["data"];
    assert!(job["jobId"].as_str().is_some_and(|j| j.starts_with("job_")));
    assert_eq!(job["personId"], json!(id));
    assert_eq!(job["personName"], json!("John Doe"));
    assert_eq!(job["personEmail"], json!("john@acme.com"));
    assert_eq!(crm.counts().enrich_jobs, 1);

    let ids = crm.seed(Seed {
        people: vec![json!({ "firstName": "NoMail", "email": null })],
        ..Seed::default()
    });
    let (status, body) = send(enrich(&ids[0])).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({ "success": false, "error": "Person email is required for enrichment" })
    );
    assert_eq!(send(enrich("missing")).await.0, 404);
}

#[tokio::test]
async fn custom_field_definitions() {
    let crm = start(Provider::Introzy).await;
    let fields = url(&crm, "/api/people/custom-fields");
    let post = |body: Value| client().post(&fields).bearer_auth(TOKEN).json(&body);
    let (status, body) = send(post(
        json!({ "name": "Lead source", "fieldType": "select", "options": ["Web", "Conference"] }),
    ))
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["data"]["key"], json!("cf_lead_source"));
    assert_eq!(
        send(post(json!({ "name": "Lead source", "fieldType": "text" })))
            .await
            .0,
        409
    );
    assert_eq!(
        send(post(json!({ "name": "Tier", "fieldType": "select" })))
            .await
            .0,
        400
    );
    assert_eq!(
        send(post(json!({ "name": "X", "fieldType": "blob" })))
            .await
            .0,
        400
    );
    assert_eq!(
        send(post(
            json!({ "name": "X", "fieldType": "text", "key": "favorite" })
        ))
        .await
        .0,
        400
    );
    let (status, body) = send(client().get(&fields).bearer_auth(TOKEN)).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"].as_array().map(Vec::len), Some(1));
    // A select value must be one of the options.
    let bad = json!({ "email": "a@b.co", "firstName": "A", "customFields": { "cf_lead_source": "Radio" } });
    assert_eq!(create(&crm, &bad).await.0, 400);
    let good =
        json!({ "email": "a@b.co", "firstName": "A", "customFields": { "cf_lead_source": "Web" } });
    assert_eq!(create(&crm, &good).await.0, 201);
}
