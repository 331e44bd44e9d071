//! Profile the people list's page loads on an existing database: 3,000 pages of 50 at
//! offsets spread over the whole list, p50 and p95 printed. For `perf record`:
//! `cargo run --release -p carnet-core --example page_prof -- DB [ROUNDS]`, where a later
//! round runs with the pages the earlier ones read already cached. Environment: `PRAGMAS`
//! (SQL run on the connection first, to try settings such as `PRAGMA mmap_size = ...`),
//! `QUERIES` (comma-separated searches run first on the same connection), `PAGES` (how many
//! pages per round, 3,000 by default), `OFFSET` (every
//! page at this offset instead), `SCROLL` (consecutive pages, as when scrolling, instead of
//! spread ones).

use std::time::Instant;

use carnet_core::{PeopleQuery, Store};

// As in the benchmarks (the app keeps the system allocator).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: page_prof DB [ROUNDS]");
    let rounds: u32 = args.next().and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    let s = Store::open(std::path::Path::new(&path)).expect("open the database");
    if let Ok(sql) = std::env::var("PRAGMAS") {
        s.connection().execute_batch(&sql).expect("PRAGMAS");
    }
    let total = s.list_people(&PeopleQuery::default()).expect("list").total;
    assert!(total > 50, "the database needs more than 50 people");
    if let Ok(qs) = std::env::var("QUERIES") {
        for q in qs.split(',') {
            let _ = s.list_people(&PeopleQuery {
                search: Some(q.to_string()),
                ..Default::default()
            });
        }
    }
    let scroll = std::env::var_os("SCROLL").is_some();
    let pages: u32 = std::env::var("PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let mut times = vec![];
    for round in 0..rounds {
        times.clear();
        for i in 0..pages {
            let offset = match std::env::var("OFFSET").ok().and_then(|v| v.parse().ok()) {
                Some(o) => o,
                None if scroll => (i * 50 + round * 150_000) % (total - 50),
                None => (i * 7919 + round) % (total - 50),
            };
            let t = Instant::now();
            let page = s
                .list_people(&PeopleQuery {
                    limit: 50,
                    offset,
                    ..Default::default()
                })
                .expect("page");
            times.push(t.elapsed());
            assert_eq!(page.items.len(), 50);
        }
    }
    times.sort();
    println!(
        "{total} people, pages of 50: p50 {:?}, p95 {:?}",
        times[times.len() / 2],
        times[times.len() * 95 / 100]
    );
}
