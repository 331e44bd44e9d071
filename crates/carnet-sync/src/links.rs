//! The hook enrichment uses to reach Introzy's `/enrich` for a person: the person's link
//! to an Introzy account (pushed before, so it has a remote id), that account's base URL,
//! and its token (keyring or `CARNET_SYNC_TOKEN`, never SQLite).

use std::path::PathBuf;

use carnet_core::Store;
use carnet_enrich::{IntrozyLink, IntrozyLinks, Secret};
use rusqlite::OptionalExtension;

use crate::error::SyncError;
use crate::secrets;

/// A person's Introzy link: `(remote id, base URL, account id)`, the most recently pushed
/// when the person is linked to several Introzy accounts.
pub fn introzy_link_of(
    store: &Store,
    person_id: &str,
) -> Result<Option<(String, String, String)>, SyncError> {
    Ok(store
        .connection()
        .query_row(
            "SELECT l.remote_id, a.base_url, a.id FROM sync_links l
             JOIN sync_accounts a ON a.id = l.account_id
             WHERE l.person_id = ?1 AND a.provider = 'introzy' AND l.remote_id IS NOT NULL
             ORDER BY l.pushed_at DESC LIMIT 1",
            [person_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// [`IntrozyLinks`] over the database file the app or the CLI uses (its own connection
/// per lookup: enrichment workers run on other threads).
pub struct IntrozyLinksHook {
    db_path: PathBuf,
}

impl IntrozyLinksHook {
    pub fn new(db_path: impl Into<PathBuf>) -> Self {
        IntrozyLinksHook {
            db_path: db_path.into(),
        }
    }
}

impl IntrozyLinks for IntrozyLinksHook {
    fn introzy_link(&self, person_id: &str) -> Result<Option<IntrozyLink>, String> {
        let store = Store::open(&self.db_path).map_err(|e| e.to_string())?;
        let Some((remote_id, base_url, account_id)) =
            introzy_link_of(&store, person_id).map_err(|e| e.to_string())?
        else {
            return Ok(None);
        };
        let token = secrets::token_for(&account_id).map_err(|e| e.to_string())?;
        Ok(Some(IntrozyLink {
            remote_id,
            base_url,
            token: Secret::new(token.expose()),
        }))
    }
}
