//! The harness the CLI test files share: the real `carnet` binary on a temporary database.
#![allow(dead_code)] // each test file uses its own subset

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

/// A temporary database and the `carnet` binary pointed at it.
pub struct Cli {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Cli {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        Cli { dir, db }
    }

    /// Run `carnet --db <temp> ARGS` with no database, token or endpoint from the environment.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_carnet"))
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("CARNET_DB")
            .env_remove("CARNET_ENRICH_TOKEN")
            .env_remove("CARNET_SYNC_TOKEN")
            .output()
            .unwrap()
    }

    /// Run, expect success, return stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "{args:?} failed: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    /// Run, expect success, parse stdout as JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Run, expect exit `code` and nothing on stdout, return stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let o = self.run(args);
        assert_eq!(
            o.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.stdout.is_empty(), "nothing on stdout on error");
        String::from_utf8(o.stderr).unwrap()
    }
}
