//! The keyring path on a machine that may have no Secret Service (a CI box): every call
//! returns a clear, classified error or works; none panics, none shows the token. Alone
//! in its test binary because it changes the process environment.

use carnet_sync::{secrets, Token};

#[test]
fn keyring_failure_is_a_clear_error_not_a_panic() {
    std::env::remove_var(secrets::TOKEN_ENV);
    let secret = "keyring-test-secret-0b7";
    let account = "carnet-sync-test-account";
    match secrets::save_token(account, &Token::new(secret)) {
        Ok(()) => {
            // A keyring exists here: the token round-trips, then goes away.
            assert_eq!(secrets::token_for(account).expect("read").expose(), secret);
            secrets::delete_token(account).expect("delete");
        }
        Err(e) => {
            let text = e.to_string();
            assert_eq!(e.code(), "token");
            assert!(text.contains(secrets::TOKEN_ENV), "{text}");
            assert!(!text.contains(secret));
        }
    }
    let missing = secrets::token_for("carnet-sync-no-such-account").expect_err("no token");
    assert_eq!(missing.code(), "token");
    assert!(missing.to_string().contains(secrets::TOKEN_ENV));
    // The env var wins, for headless use.
    std::env::set_var(secrets::TOKEN_ENV, "from-env");
    assert_eq!(secrets::token_for("any").expect("env").expose(), "from-env");
    std::env::remove_var(secrets::TOKEN_ENV);
}
