//! Account validation names the field at fault (the window shows it inline) and writes
//! nothing; a valid account passes and a second one with the same name does not.

use carnet_core::Store;
use carnet_sync::{add_account, list_accounts, validate_account, NewAccount, ProviderKind};
use serde_json::json;

fn new(name: &str, url: &str) -> NewAccount {
    NewAccount {
        provider: ProviderKind::Folk,
        display_name: name.into(),
        base_url: url.into(),
        settings: json!({"group": "Clients"}),
    }
}

#[test]
fn each_bad_input_names_its_field_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("c.db")).unwrap();
    let field = |a: &NewAccount, s: &Store| validate_account(s, a).unwrap_err().field;

    assert_eq!(
        field(&new("  ", "http://127.0.0.1:9"), &store).as_deref(),
        Some("displayName")
    );
    assert_eq!(
        field(&new("folk", "ftp://127.0.0.1"), &store).as_deref(),
        Some("baseUrl")
    );
    assert_eq!(
        field(&new("folk", "http://u:p@127.0.0.1"), &store).as_deref(),
        Some("baseUrl")
    );
    let mut bad = new("folk", "http://127.0.0.1:9");
    bad.settings = json!(["not", "an", "object"]);
    assert_eq!(field(&bad, &store).as_deref(), Some("settings"));
    assert!(
        list_accounts(&store).unwrap().is_empty(),
        "validation writes nothing"
    );

    let ok = new("folk", "http://127.0.0.1:9");
    validate_account(&store, &ok).unwrap();
    add_account(&mut store, &ok).unwrap();
    let again = validate_account(&store, &ok).unwrap_err();
    assert_eq!(again.field.as_deref(), Some("displayName"));
    assert!(
        again.message.contains("already exists"),
        "{}",
        again.message
    );
}
