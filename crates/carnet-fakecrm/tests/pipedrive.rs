//! Pipedrive fake: pipedrive-add-person.txt rules, personFields, search, update.

mod common;

use carnet_fakecrm::{FakeCrmHandle, Provider};
use common::{client, send, start, TOKEN};
use serde_json::{json, Value};

fn at(crm: &FakeCrmHandle, path: &str) -> String {
    format!("{}{path}?api_token={TOKEN}", crm.base_url())
}

async fn create(crm: &FakeCrmHandle, body: &Value) -> (u16, Value) {
    send(client().post(at(crm, "/persons")).json(body)).await
}

#[tokio::test]
async fn base_url_stands_for_company_api_v1() {
    let crm = start(Provider::Pipedrive).await;
    assert!(crm.base_url().ends_with("/api/v1"));
    assert_eq!(crm.people_url(), format!("{}/persons", crm.base_url()));
}

#[tokio::test]
async fn valid_person_is_created_and_stored() {
    let crm = start(Provider::Pipedrive).await;
    let body = json!({
        "name": "Will Smith", "owner_id": 123, "org_id": 1234,
        "email": [{ "value": "will@x.io", "primary": true, "label": "work" }, { "value": "w@home.io", "label": "home" }],
        "phone": [{ "value": "12345", "primary": true, "label": "mobile" }],
        "label_ids": [1, 2], "visible_to": "3", "marketing_status": "no_consent",
        "add_time": "2017-10-18 13:23:07"
    });
    let (status, resp) = create(&crm, &body).await;
    assert_eq!(status, 201, "{resp}");
    assert_eq!(resp["success"], json!(true));
    let p = &resp["data"];
    assert!(p["id"].is_i64());
    assert_eq!(
        (p["first_name"].clone(), p["last_name"].clone()),
        (json!("Will"), json!("Smith"))
    );
    assert_eq!(p["primary_email"], json!("will@x.io"));
    assert_eq!(
        p["email"][1],
        json!({ "value": "w@home.io", "primary": false, "label": "home" })
    );
    assert_eq!(p["owner_id"]["value"], json!(123));
    assert_eq!(p["org_id"]["value"], json!(1234));
    assert_eq!(p["add_time"], json!("2017-10-18 13:23:07"));
    assert!(resp["related_objects"]["user"]["123"].is_object());
    assert_eq!(crm.people().len(), 1);
    assert!(crm.person(&p["id"].to_string()).is_some());
    // Without email or phone Pipedrive reads back one empty primary entry.
    let (_, resp) = create(&crm, &json!({ "name": "Bare" })).await;
    assert_eq!(
        resp["data"]["email"],
        json!([{ "value": "", "primary": true }])
    );
}

#[tokio::test]
async fn each_invalid_body_is_a_400() {
    let crm = start(Provider::Pipedrive).await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "Name must be given."),
        (json!({ "name": "" }), "Name must be given."),
        (json!({ "name": 5 }), "Name must be given."),
        (json!({ "name": "A", "email": ["a@b.co"] }), "email[0]"),
        (
            json!({ "name": "A", "email": "a@b.co" }),
            "email must be an array",
        ),
        (
            json!({ "name": "A", "email": [{ "value": "a", "primary": true }, { "value": "b", "primary": true }] }),
            "Only one email",
        ),
        (
            json!({ "name": "A", "phone": [{ "value": "1", "label": "fax" }] }),
            "label",
        ),
        (
            json!({ "name": "A", "phone": [{ "number": "1" }] }),
            "unknown property",
        ),
        (json!({ "name": "A", "owner_id": "me" }), "owner_id"),
        (json!({ "name": "A", "visible_to": 2 }), "visible_to"),
        (
            json!({ "name": "A", "marketing_status": "maybe" }),
            "marketing_status",
        ),
        (
            json!({ "name": "A", "add_time": "2017-10-18T13:23:07Z" }),
            "add_time",
        ),
        (
            json!({ "name": "A", "first_name": "A" }),
            "Unknown field first_name",
        ),
        (
            json!({ "name": "A", "dcf558aac1ae4e8c4f849ba5e668430d8df9be12": "x" }),
            "Unknown field",
        ),
    ];
    for (body, needle) in cases {
        let (status, resp) = create(&crm, &body).await;
        assert_eq!(status, 400, "{body}: {resp}");
        assert_eq!(resp["success"], json!(false));
        assert!(
            resp["error"].as_str().is_some_and(|e| e.contains(needle)),
            "{needle}: {resp}"
        );
        assert!(resp["error_info"].is_string());
    }
    assert!(crm.people().is_empty());
}

#[tokio::test]
async fn auth_schemes() {
    let crm = start(Provider::Pipedrive).await;
    let plain = format!("{}/persons", crm.base_url());
    let (status, body) = send(client().get(&plain)).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], json!("unauthorized access"));
    assert_eq!(body["errorCode"], json!(401));
    assert_eq!(
        send(client().get(format!("{plain}?api_token=bad"))).await.0,
        401
    );
    assert_eq!(
        send(client().get(format!("{plain}?api_token={TOKEN}")))
            .await
            .0,
        200
    );
    assert_eq!(
        send(client().get(&plain).header("x-api-token", TOKEN))
            .await
            .0,
        200
    );
    assert_eq!(send(client().get(&plain).bearer_auth(TOKEN)).await.0, 200);
}

#[tokio::test]
async fn person_fields_define_custom_keys() {
    let crm = start(Provider::Pipedrive).await;
    let (status, body) = send(client().get(at(&crm, "/personFields"))).await;
    assert_eq!(status, 200);
    let keys: Vec<&str> = body["data"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["key"].as_str())
        .collect();
    assert!(keys.contains(&"name") && keys.contains(&"email") && keys.contains(&"phone"));

    let post = |b: Value| client().post(at(&crm, "/personFields")).json(&b);
    let (status, body) = send(post(json!({ "name": "Budget", "field_type": "double" }))).await;
    assert_eq!(status, 200, "{body}");
    let budget = body["data"]["key"].as_str().expect("key").to_string();
    assert!(budget.len() == 40 && budget.chars().all(|c| c.is_ascii_hexdigit()));
    let (_, body) = send(post(json!({ "name": "Tier", "field_type": "enum", "options": [{ "label": "Gold" }, { "label": "Silver" }] }))).await;
    let tier = body["data"]["key"].as_str().expect("key").to_string();
    let gold = body["data"]["options"][0]["id"].clone();
    assert_eq!(
        send(post(json!({ "name": "Tier2", "field_type": "enum" })))
            .await
            .0,
        400
    );
    assert_eq!(send(post(json!({ "field_type": "varchar" }))).await.0, 400);
    assert_eq!(
        send(post(json!({ "name": "X", "field_type": "blob" })))
            .await
            .0,
        400
    );
    assert_eq!(crm.counts().field_creates, 2);

    let (status, resp) = create(
        &crm,
        &json!({ "name": "A", budget.clone(): 5000, tier.clone(): gold }),
    )
    .await;
    assert_eq!(status, 201, "{resp}");
    assert_eq!(resp["data"][&budget], json!(5000));
    let (status, _) = create(&crm, &json!({ "name": "B", budget.clone(): "lots" })).await;
    assert_eq!(status, 400);
    let (status, _) = create(&crm, &json!({ "name": "C", tier.clone(): 999_999 })).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn search_by_email_and_phone() {
    let crm = start(Provider::Pipedrive).await;
    create(&crm, &json!({ "name": "Ann Lee", "email": [{ "value": "ann@x.io" }], "phone": [{ "value": "+33 6 12 34 56 78" }] })).await;
    create(
        &crm,
        &json!({ "name": "Ben Ray", "email": [{ "value": "ben@y.io" }] }),
    )
    .await;
    let search = |q: &str| client().get(format!("{}&{q}", at(&crm, "/persons/search")));
    let names = |b: &Value| -> Vec<String> {
        b["data"]["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|i| i["item"]["name"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (status, body) = send(search("term=ANN@x.io&fields=email&exact_match=true")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(names(&body), ["Ann Lee"]);
    assert_eq!(
        body["data"]["items"][0]["item"]["emails"],
        json!(["ann@x.io"])
    );
    let (_, body) = send(search("term=%2B33612345678&fields=phone&exact_match=true")).await;
    assert_eq!(names(&body), ["Ann Lee"]);
    let (_, body) = send(search("term=ray")).await;
    assert_eq!(names(&body), ["Ben Ray"]);
    let (_, body) = send(search("term=nobody@z.io&fields=email&exact_match=true")).await;
    assert_eq!(names(&body), Vec::<String>::new());
    assert_eq!(send(search("term=a")).await.0, 400, "2 characters minimum");
    assert_eq!(send(search("term=a&exact_match=true")).await.0, 200);
    assert_eq!(send(search("term=ann&fields=nickname")).await.0, 400);
}

#[tokio::test]
async fn list_get_and_put() {
    let crm = start(Provider::Pipedrive).await;
    let (_, body) = send(client().get(at(&crm, "/persons"))).await;
    assert_eq!(body["data"], Value::Null, "empty list is null");
    let (_, created) = create(
        &crm,
        &json!({ "name": "Ann Lee", "email": [{ "value": "ann@x.io" }] }),
    )
    .await;
    let id = created["data"]["id"].as_i64().expect("id");
    let (status, body) = send(
        client()
            .put(at(&crm, &format!("/persons/{id}")))
            .json(&json!({ "name": "Ann Smith" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["last_name"], json!("Smith"));
    assert_eq!(
        body["data"]["email"][0]["value"],
        json!("ann@x.io"),
        "untouched"
    );
    assert_eq!(
        send(
            client()
                .put(at(&crm, &format!("/persons/{id}")))
                .json(&json!({ "name": "" }))
        )
        .await
        .0,
        400
    );
    let (status, body) = send(client().get(at(&crm, &format!("/persons/{id}")))).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["name"], json!("Ann Smith"));
    let (status, body) = send(client().get(at(&crm, "/persons/99999"))).await;
    assert_eq!(status, 404);
    assert_eq!(body["success"], json!(false));
    let (_, body) = send(client().get(format!("{}&limit=1", at(&crm, "/persons")))).await;
    assert_eq!(body["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        body["additional_data"]["pagination"]["more_items_in_collection"],
        json!(false)
    );
    assert_eq!(
        crm.counts(),
        carnet_fakecrm::Counts {
            creates: 1,
            updates: 1,
            ..Default::default()
        }
    );
}
