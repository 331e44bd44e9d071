//! folk fake: each rule of folk-create-person.txt, groups, listing filters.

mod common;

use carnet_fakecrm::{FakeCrmHandle, Options, Provider, Seed};
use common::{client, long, send, start_with, url, TOKEN};
use serde_json::{json, Value};

const ENG: &str = "grp_5fa60242-0756-4e31-8cca-30c2c5ff1ac2";
const FAV: &str = "grp_acdf2ad9-6a66-4d32-8594-9694913ac717";

async fn workspace() -> FakeCrmHandle {
    let mut options = Options::with_token(TOKEN);
    options.seed = Seed {
        groups: vec![
            json!({ "id": ENG, "name": "Engineering", "customFields": [
                { "name": "Status", "type": "singleSelect", "options": ["Active", "Inactive"] },
                { "name": "Programming languages", "type": "multipleSelect", "options": ["Javascript", "Python", "Rust"] },
                { "name": "Join date", "type": "dateField" },
                { "name": "Relationships", "type": "contactField" },
            ]}),
            json!({ "id": FAV, "name": "Favorites", "customFields": [
                { "name": "Favorite color", "type": "textField" },
                { "name": "Favorite number", "type": "numericField" },
                { "name": "Assignee", "type": "userField" },
            ]}),
        ],
        companies: vec![
            json!({ "id": "com_92346499-30bf-4278-ae8e-4aa3ae2ace2c", "name": "Tech Corp" }),
        ],
        ..Seed::default()
    };
    start_with(Provider::Folk, options).await
}

async fn create(crm: &FakeCrmHandle, body: &Value) -> (u16, Value) {
    send(
        client()
            .post(url(crm, "/v1/people"))
            .bearer_auth(TOKEN)
            .json(body),
    )
    .await
}

fn example() -> Value {
    json!({
        "firstName": "John", "lastName": "Doe", "description": "A brief description.",
        "birthday": "1990-01-01", "jobTitle": "Software Engineer",
        "groups": [{ "id": ENG }, { "id": FAV }],
        "companies": [{ "name": "New Co" }, { "id": "com_92346499-30bf-4278-ae8e-4aa3ae2ace2c" }],
        "addresses": ["123 Main St, Springfield, USA"],
        "emails": ["john@example.com", "john@techcorp.com"],
        "phones": ["+1234567890"],
        "urls": ["https://example.com"],
        "customFieldValues": {
            ENG: { "Status": "Active", "Programming languages": ["Javascript", "Python"], "Join date": "2021-01-01" },
            FAV: { "Favorite color": "Blue", "Favorite number": 42,
                   "Assignee": [{ "id": "usr_c3606e3b-0a92-4849-90e5-88a8d3f388d6" }, { "email": "jane@example.com" }] }
        }
    })
}

#[tokio::test]
async fn documented_example_creates_and_stores() {
    let crm = workspace().await;
    let (status, body) = create(&crm, &example()).await;
    assert_eq!(status, 200, "{body}");
    let p = &body["data"];
    assert!(p["id"].as_str().is_some_and(|id| id.starts_with("per_")));
    assert_eq!(p["fullName"], json!("John Doe"), "derived");
    assert_eq!(p["groups"][0], json!({ "id": ENG, "name": "Engineering" }));
    assert_eq!(
        p["companies"][0]["name"],
        json!("New Co"),
        "first is primary"
    );
    assert!(p["companies"][0]["id"]
        .as_str()
        .is_some_and(|id| id.starts_with("com_")));
    assert_eq!(p["companies"][1]["name"], json!("Tech Corp"));
    assert_eq!(
        p["customFieldValues"][FAV]["Favorite number"],
        json!("42"),
        "numbers come back as strings"
    );
    assert_eq!(p["customFieldValues"][ENG]["Status"], json!("Active"));
    assert_eq!(crm.people().len(), 1);
    assert_eq!(crm.companies().len(), 2, "company created by name");
    // A contact field resolves to the referenced person.
    let id = p["id"].as_str().expect("id");
    let rel = json!({ "firstName": "Bob", "groups": [{ "id": ENG }],
                      "customFieldValues": { ENG: { "Relationships": [{ "id": id }] } } });
    let (status, body) = create(&crm, &rel).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["customFieldValues"][ENG]["Relationships"][0],
        json!({ "id": id, "fullName": "John Doe", "entityType": "person" })
    );
}

#[tokio::test]
async fn each_invalid_body_is_a_422_with_issue_paths() {
    let crm = workspace().await;
    let many: Vec<String> = (0..21).map(|i| format!("p{i}@x.io")).collect();
    let cases: Vec<(Value, Value)> = vec![
        (json!({ "firstName": long(501) }), json!(["firstName"])),
        (json!({ "lastName": long(501) }), json!(["lastName"])),
        (json!({ "fullName": long(1001) }), json!(["fullName"])),
        (json!({ "description": long(5001) }), json!(["description"])),
        (json!({ "jobTitle": long(501) }), json!(["jobTitle"])),
        (json!({ "birthday": "1990-13-01" }), json!(["birthday"])),
        (json!({ "emails": many }), json!(["emails"])),
        (json!({ "emails": ["nope"] }), json!(["emails", 0])),
        (json!({ "urls": ["example.com"] }), json!(["urls", 0])),
        (json!({ "phones": "+123" }), json!(["phones"])),
        (
            json!({ "groups": [{ "id": "grp_missing" }] }),
            json!(["groups", 0, "id"]),
        ),
        (json!({ "groups": ["grp_x"] }), json!(["groups", 0])),
        (
            json!({ "companies": [{ "name": "A", "id": "com_x" }] }),
            json!(["companies", 0]),
        ),
        (
            json!({ "companies": [{ "id": "com_missing" }] }),
            json!(["companies", 0, "id"]),
        ),
        (
            json!({ "customFieldValues": { ENG: { "Status": "Active" } } }),
            json!(["customFieldValues", ENG]),
        ),
        (
            json!({ "groups": [{ "id": ENG }], "customFieldValues": { ENG: { "Nope": "x" } } }),
            json!(["customFieldValues", ENG, "Nope"]),
        ),
        (
            json!({ "groups": [{ "id": ENG }], "customFieldValues": { ENG: { "Status": "Gone" } } }),
            json!(["customFieldValues", ENG, "Status"]),
        ),
        (
            json!({ "groups": [{ "id": ENG }], "customFieldValues": { ENG: { "Join date": "01/01/2021" } } }),
            json!(["customFieldValues", ENG, "Join date"]),
        ),
        (
            json!({ "groups": [{ "id": FAV }], "customFieldValues": { FAV: { "Favorite number": "many" } } }),
            json!(["customFieldValues", FAV, "Favorite number"]),
        ),
        (json!({ "first_name": "John" }), json!(["first_name"])),
    ];
    for (body, path) in cases {
        let (status, resp) = create(&crm, &body).await;
        assert_eq!(status, 422, "{body}: {resp}");
        let error = &resp["error"];
        assert_eq!(error["code"], json!("VALIDATION_ERROR"));
        assert!(
            error["requestId"].is_string()
                && error["timestamp"].is_string()
                && error["documentationUrl"].is_string()
        );
        let issues = error["details"]["issues"].as_array().expect("issues");
        assert!(issues.iter().any(|i| i["path"] == path), "{path} in {resp}");
    }
    assert!(crm.people().is_empty());
    assert_eq!(
        crm.companies().len(),
        1,
        "no company created by a refused body"
    );
    // Edges pass.
    let ok = json!({ "firstName": long(500), "fullName": long(1000), "description": long(5000),
                     "emails": (0..20).map(|i| format!("p{i}@x.io")).collect::<Vec<_>>() });
    assert_eq!(create(&crm, &ok).await.0, 200);
}

#[tokio::test]
async fn auth_and_error_shape() {
    let crm = workspace().await;
    let (status, body) = send(client().get(url(&crm, "/v1/people"))).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], json!("UNAUTHORIZED"));
    let (status, _) = send(client().get(url(&crm, "/v1/people")).bearer_auth("nope")).await;
    assert_eq!(status, 401);
    let (status, body) = send(
        client()
            .get(url(&crm, "/v1/people/per_missing"))
            .bearer_auth(TOKEN),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], json!("RESOURCE_NOT_FOUND"));
}

#[tokio::test]
async fn list_filters_by_email_and_phone_and_paginates() {
    let crm = workspace().await;
    for (name, email, phone) in [
        ("Ann", "ann@x.io", "+33 6 12 34 56 78"),
        ("Ben", "ben@y.io", "+15551234567"),
        ("Cat", "cat@x.io", ""),
    ] {
        let phones: Vec<&str> = if phone.is_empty() {
            vec![]
        } else {
            vec![phone]
        };
        create(
            &crm,
            &json!({ "firstName": name, "emails": [email], "phones": phones }),
        )
        .await;
    }
    let list = |q: &str| {
        client()
            .get(format!("{}?{q}", url(&crm, "/v1/people")))
            .bearer_auth(TOKEN)
    };
    let names = |body: &Value| -> Vec<String> {
        body["data"]["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p["firstName"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (status, body) = send(list("filter[emails][eq]=BEN@y.io")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(names(&body), ["Ben"]);
    let (_, body) = send(list("filter[phones][eq]=%2B33612345678")).await;
    assert_eq!(names(&body), ["Ann"], "phones compare without formatting");
    let (_, body) = send(list("filter[emails][like]=x.io")).await;
    assert_eq!(names(&body), ["Ann", "Cat"]);
    let (_, body) = send(list(
        "filter[emails][eq]=ann@x.io&filter[firstName][eq]=Ben&combinator=or",
    ))
    .await;
    assert_eq!(names(&body), ["Ann", "Ben"]);
    let (_, body) = send(list("filter[phones][empty]=")).await;
    assert_eq!(names(&body), ["Cat"]);
    let (_, body) = send(list("limit=2")).await;
    assert_eq!(names(&body), ["Ann", "Ben"]);
    let next = body["data"]["pagination"]["nextLink"]
        .as_str()
        .expect("nextLink")
        .to_string();
    let (_, body) = send(client().get(&next).bearer_auth(TOKEN)).await;
    assert_eq!(names(&body), ["Cat"]);
    assert_eq!(body["data"]["pagination"]["nextLink"], Value::Null);
    for bad in [
        "limit=0",
        "limit=101",
        "filter[nickname][eq]=x",
        "filter[emails][regex]=x",
        "cursor=zzz",
        "combinator=xor",
    ] {
        let (status, body) = send(list(bad)).await;
        assert_eq!(status, 422, "{bad}");
        assert_eq!(body["error"]["code"], json!("VALIDATION_ERROR"));
    }
}

#[tokio::test]
async fn patch_replaces_lists_and_merges_custom_fields() {
    let crm = workspace().await;
    let (_, created) = create(&crm, &example()).await;
    let id = created["data"]["id"].as_str().expect("id").to_string();
    let patch = |body: Value| {
        client()
            .patch(url(&crm, &format!("/v1/people/{id}")))
            .bearer_auth(TOKEN)
            .json(&body)
    };
    let (status, body) = send(patch(json!({ "emails": ["new@x.io"], "lastName": "Smith",
        "customFieldValues": { FAV: { "Favorite color": null, "Favorite number": "7" } } })))
    .await;
    assert_eq!(status, 200, "{body}");
    let p = &body["data"];
    assert_eq!(p["emails"], json!(["new@x.io"]));
    assert_eq!(p["phones"], json!(["+1234567890"]), "untouched");
    assert_eq!(p["fullName"], json!("John Smith"));
    assert_eq!(
        p["customFieldValues"][FAV].get("Favorite color"),
        None,
        "null unsets"
    );
    assert_eq!(p["customFieldValues"][FAV]["Favorite number"], json!("7"));
    assert_eq!(
        p["customFieldValues"][ENG]["Status"],
        json!("Active"),
        "other groups kept"
    );
    // Custom values for a group the person will not be in are refused.
    let (status, _) = send(patch(json!({ "groups": [{ "id": ENG }], "customFieldValues": { FAV: { "Favorite color": "Red" } } }))).await;
    assert_eq!(status, 422);
    assert_eq!(send(patch(json!({ "emails": ["bad"] }))).await.0, 422);
    assert_eq!(crm.counts().updates, 1);
    let (status, _) = send(
        client()
            .patch(url(&crm, "/v1/people/per_nope"))
            .bearer_auth(TOKEN)
            .json(&json!({})),
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = send(
        client()
            .get(url(&crm, &format!("/v1/people/{id}")))
            .bearer_auth(TOKEN),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["lastName"], json!("Smith"));
}

#[tokio::test]
async fn groups_and_group_custom_fields() {
    let crm = workspace().await;
    let (status, body) = send(client().get(url(&crm, "/v1/groups")).bearer_auth(TOKEN)).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"]["items"][0],
        json!({ "id": ENG, "name": "Engineering" })
    );
    let (status, body) = send(
        client()
            .get(url(&crm, &format!("/v1/groups/{ENG}/custom-fields/person")))
            .bearer_auth(TOKEN),
    )
    .await;
    assert_eq!(status, 200);
    let first = &body["data"]["items"][0];
    assert_eq!(first["name"], json!("Status"));
    assert_eq!(first["type"], json!("singleSelect"));
    assert_eq!(first["options"][0]["label"], json!("Active"));
    let (status, _) = send(
        client()
            .get(url(&crm, "/v1/groups/grp_nope/custom-fields/person"))
            .bearer_auth(TOKEN),
    )
    .await;
    assert_eq!(status, 404);
}
