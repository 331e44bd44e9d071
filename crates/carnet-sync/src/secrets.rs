//! Tokens: in the OS keyring (the `keyring` crate: Secret Service on Linux, Keychain on
//! macOS, Credential Manager on Windows), one entry per account (`carnet-sync` / account
//! id); for headless use, the `CARNET_SYNC_TOKEN` environment variable wins.
//!
//! A token is never written to SQLite, a log line or an error message: keyring failures
//! are reported with the keyring's own error (which never carries the secret) and a hint
//! about the env var. These functions block (the keyring talks D-Bus on Linux): call them
//! outside async code or through `spawn_blocking`.

use crate::error::SyncError;
use crate::http::Token;

/// The environment variable a headless push reads its token from.
pub const TOKEN_ENV: &str = "CARNET_SYNC_TOKEN";

const SERVICE: &str = "carnet-sync";

fn entry(account_id: &str) -> Result<keyring::Entry, SyncError> {
    keyring::Entry::new(SERVICE, account_id).map_err(keyring_error)
}

fn keyring_error(e: keyring::Error) -> SyncError {
    SyncError::Token(format!(
        "the OS keyring is not available ({e}); on a machine without a keyring service \
         set {TOKEN_ENV} instead"
    ))
}

/// The token from `CARNET_SYNC_TOKEN`, if set and not empty.
pub fn env_token() -> Option<Token> {
    std::env::var(TOKEN_ENV)
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .map(Token::new)
}

/// Saves an account's token in the OS keyring.
pub fn save_token(account_id: &str, token: &Token) -> Result<(), SyncError> {
    if token.expose().trim().is_empty() {
        return Err(SyncError::Token("the token is empty".into()));
    }
    entry(account_id)?
        .set_password(token.expose())
        .map_err(keyring_error)
}

/// Removes an account's token from the OS keyring (no error when there is none).
pub fn delete_token(account_id: &str) -> Result<(), SyncError> {
    match entry(account_id)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keyring_error(e)),
    }
}

/// The token of an account: `CARNET_SYNC_TOKEN` when set, else the keyring's.
pub fn token_for(account_id: &str) -> Result<Token, SyncError> {
    if let Some(t) = env_token() {
        return Ok(t);
    }
    match entry(account_id)?.get_password() {
        Ok(t) => Ok(Token::new(t)),
        Err(keyring::Error::NoEntry) => Err(SyncError::Token(format!(
            "no token saved for this account: add it again with a token, or set {TOKEN_ENV}"
        ))),
        Err(e) => Err(keyring_error(e)),
    }
}
