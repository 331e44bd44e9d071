//! Background WAL checkpoints: a commit on a `Store`'s connection never waits for one.
//!
//! SQLite's default runs a checkpoint inside the commit that takes the write-ahead log past
//! 1,000 pages: that commit copies the log into the database file and waits for two
//! `fsync`s (20–50 ms here, against under a millisecond for a plain edit). A file `Store`
//! turns that off (`wal_autocheckpoint = 0`) and every commit instead nudges this
//! checkpointer. Its thread, started at the first commit, waits a short moment so that a
//! burst of commits shares one checkpoint, then runs a PASSIVE checkpoint on its own
//! connection; PASSIVE never blocks the store's readers or writers. Durability is
//! unchanged: a commit is in the log before the call returns, and a checkpoint only
//! copies what is committed.
//!
//! Dropping the checkpointer (after the store's connection) stops the thread and waits for
//! it, after a last checkpoint if a commit has not been copied yet. If its connection is
//! then the last one on the file, SQLite also removes the log as it closes, as it did when
//! the store's connection was the last one.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

/// How long the thread waits after a nudge, so that a burst of commits shares a checkpoint.
const SETTLE: Duration = Duration::from_millis(200);

/// Log size (pages) past which a checkpoint also makes the next commit start the log
/// again. Under a steady stream of commits a PASSIVE checkpoint never finds the log fully
/// copied at the moment a writer begins, so the log would only grow; a RESTART checkpoint
/// holds new writers back for the moment it takes to copy the last frames.
const RESTART_AT: i64 = 8_192;

/// The checkpointer of one file database. See the module documentation.
pub(crate) struct Checkpointer {
    shared: Arc<Shared>,
}

struct Shared {
    path: PathBuf,
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Default)]
struct State {
    /// A commit happened since the last checkpoint began.
    dirty: bool,
    stop: bool,
    thread: Option<JoinHandle<()>>,
    /// Checkpoints run so far (tests).
    runs: u64,
}

impl Checkpointer {
    /// Take over `conn`'s checkpoints: automatic ones off, a nudge at each commit.
    pub(crate) fn attach(conn: &Connection, path: &Path) -> rusqlite::Result<Checkpointer> {
        conn.query_row("PRAGMA wal_autocheckpoint = 0", [], |_| Ok(()))?;
        let shared = Arc::new(Shared {
            path: path.to_path_buf(),
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
        });
        let hook = Arc::clone(&shared);
        conn.commit_hook(Some(move || {
            hook.nudge();
            false // never turn the commit into a rollback
        }))?;
        Ok(Checkpointer { shared })
    }

    /// Checkpoints the thread has run (tests).
    #[cfg(test)]
    pub(crate) fn runs(&self) -> u64 {
        self.shared.lock().runs
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic in the thread cannot leave the state inconsistent: take it as it is.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Called from the commit hook: mark the log as grown and wake (or start) the thread.
    fn nudge(self: &Arc<Self>) {
        let mut s = self.lock();
        s.dirty = true;
        if s.thread.is_none() && !s.stop {
            let me = Arc::clone(self);
            // If no thread can be started, the log is checkpointed when the file closes.
            s.thread = std::thread::Builder::new()
                .name("carnet-checkpoint".into())
                .spawn(move || me.run())
                .ok();
        }
        drop(s);
        self.wake.notify_one();
    }

    fn run(&self) {
        let Ok(conn) = Connection::open(&self.path) else {
            return;
        };
        // The store's connection waits for locks this long; a checkpoint that finds the
        // database busy just copies less and the next nudge tries again.
        let _ = conn.busy_timeout(Duration::from_millis(100));
        loop {
            let mut s = self.lock();
            while !s.dirty && !s.stop {
                s = self.wake.wait(s).unwrap_or_else(|p| p.into_inner());
            }
            if !s.stop {
                // Let a burst of commits settle; a stop cuts the wait short.
                s = self
                    .wake
                    .wait_timeout_while(s, SETTLE, |s| !s.stop)
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
            }
            if !s.dirty {
                return; // stopped, with the log already copied
            }
            // A store closing with commits not yet copied (a large import, say) has them
            // copied before it is gone, even when other connections stay open.
            let stopping = s.stop;
            s.dirty = false;
            drop(s);
            let log: rusqlite::Result<i64> =
                conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1));
            if log.is_ok_and(|pages| pages >= RESTART_AT) {
                let _ = conn.query_row("PRAGMA wal_checkpoint(RESTART)", [], |_| Ok(()));
            }
            self.lock().runs += 1;
            if stopping {
                return;
            }
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        let thread = {
            let mut s = self.shared.lock();
            s.stop = true;
            s.thread.take()
        };
        self.shared.wake.notify_all();
        if let Some(t) = thread {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_do_not_checkpoint_but_the_thread_does_soon_after() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let conn = Connection::open(&path).unwrap();
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .unwrap();
        let cp = Checkpointer::attach(&conn, &path).unwrap();
        conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (zeroblob(5000000));")
            .unwrap();
        // Far past 1,000 pages, and no checkpoint ran inside the commit.
        let wal = std::fs::metadata(dir.path().join("c.db-wal"))
            .unwrap()
            .len();
        assert!(wal > 4_000_000, "log of {wal} bytes");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while cp.runs() == 0 {
            assert!(std::time::Instant::now() < deadline, "no checkpoint ran");
            std::thread::sleep(Duration::from_millis(20));
        }
        // The thread copied the whole log: the database file holds the blob.
        let db = std::fs::metadata(&path).unwrap().len();
        assert!(db > 5_000_000, "database file of {db} bytes");
        drop(conn);
        drop(cp);
        // The checkpointer's connection closed last and removed the log.
        assert!(!dir.path().join("c.db-wal").exists());
    }

    #[test]
    fn dropping_a_store_that_never_wrote_starts_no_thread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let conn = Connection::open(&path).unwrap();
        let cp = Checkpointer::attach(&conn, &path).unwrap();
        conn.query_row("SELECT 1", [], |_| Ok(())).unwrap();
        assert!(cp.shared.lock().thread.is_none());
        assert_eq!(cp.runs(), 0);
    }
}
