//! Cancelling a long SQLite step: while a closure runs, a watcher thread turns the user's
//! cancel flag into `sqlite3_interrupt` on the connections registered with it.
//!
//! An import checks its cancel flag before each record, but its last phase is a few long
//! statements (the lookup rows, `CREATE INDEX`, the search index built on a second
//! connection) that check nothing: at 100k people that is two seconds during which Cancel
//! would otherwise do nothing. An interrupted statement fails with `SQLITE_INTERRUPT` and
//! the caller rolls back.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, InterruptHandle};

/// How often the watcher looks at the flag. An interrupt that arrives between two
/// statements is dropped by SQLite (the next statement clears it), so the watcher keeps
/// interrupting as long as the flag is set.
const POLL: Duration = Duration::from_millis(10);

/// See the module documentation.
pub(crate) struct Interrupter<'a> {
    cancel: &'a AtomicBool,
    handles: Mutex<Vec<InterruptHandle>>,
}

impl<'a> Interrupter<'a> {
    pub(crate) fn new(cancel: &'a AtomicBool) -> Interrupter<'a> {
        Interrupter {
            cancel,
            handles: Mutex::new(Vec::new()),
        }
    }

    /// Whether the user asked to stop.
    pub(crate) fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// Interrupt `conn`'s statements, during `run`, once the flag is set.
    pub(crate) fn watch(&self, conn: &Connection) {
        self.handles
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(conn.get_interrupt_handle());
    }

    /// Run `f` with the watcher on (connections can be registered from inside `f`).
    pub(crate) fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        let done = AtomicBool::new(false);
        std::thread::scope(|s| {
            let watcher = s.spawn(|| {
                while !done.load(Ordering::SeqCst) {
                    if self.cancelled() {
                        for h in self
                            .handles
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .iter()
                        {
                            h.interrupt();
                        }
                    }
                    std::thread::park_timeout(POLL);
                }
            });
            let out = f();
            done.store(true, Ordering::SeqCst);
            watcher.thread().unpark();
            out
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// A statement that would run for minutes stops within a few polls of the flag.
    #[test]
    fn a_set_flag_stops_a_running_statement() {
        let conn = Connection::open_in_memory().unwrap();
        let cancel = AtomicBool::new(false);
        let stop = Interrupter::new(&cancel);
        stop.watch(&conn);
        let started = Instant::now();
        let out = std::thread::scope(|s| {
            s.spawn(|| {
                std::thread::sleep(Duration::from_millis(50));
                cancel.store(true, Ordering::SeqCst);
            });
            stop.run(|| {
                conn.query_row(
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) \
                     SELECT count(*) FROM c",
                    [],
                    |r| r.get::<_, i64>(0),
                )
            })
        });
        let err = out.expect_err("the statement was interrupted");
        assert_eq!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::OperationInterrupted),
            "{err}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    /// With the flag never set, the watcher changes nothing and stops with `run`.
    #[test]
    fn an_unset_flag_lets_everything_run() {
        let conn = Connection::open_in_memory().unwrap();
        let cancel = AtomicBool::new(false);
        let stop = Interrupter::new(&cancel);
        stop.watch(&conn);
        let n: i64 = stop
            .run(|| {
                conn.query_row(
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) \
                     SELECT count(*) FROM c",
                    [],
                    |r| r.get(0),
                )
            })
            .unwrap();
        assert_eq!(n, 200_000);
    }
}
