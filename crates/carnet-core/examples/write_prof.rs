//! Profile single-person writes on an existing database: N creates then N updates (each its
//! own transaction), with p50 / p95 / max and the slowest samples with their WAL size, to
//! see what the slow tail is. `cargo run --release -p carnet-core --example write_prof -- DB [N]`.
//! Environment: `PRAGMAS` (SQL run on the connection first, timed).

use std::time::Instant;

use carnet_core::Store;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn wal_pages(path: &str) -> u64 {
    std::fs::metadata(format!("{path}-wal"))
        .map(|m| m.len() / 4096)
        .unwrap_or(0)
}

fn report(name: &str, t: &mut [(f64, u64, usize)]) {
    let mut v: Vec<f64> = t.iter().map(|x| x.0).collect();
    v.sort_by(f64::total_cmp);
    let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    println!(
        "{name}: p50 {:.3} ms, p90 {:.3} ms, p95 {:.3} ms, max {:.3} ms, {} over 5 ms, total {:.0} ms",
        q(0.5),
        q(0.9),
        q(0.95),
        v[v.len() - 1],
        v.iter().filter(|&&x| x > 5.0).count(),
        v.iter().sum::<f64>()
    );
    t.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ms, wal, i) in t.iter().take(8) {
        println!("  #{i}: {ms:.3} ms, WAL {wal} pages after");
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: write_prof DB [N]");
    let n: usize = args.next().and_then(|v| v.parse().ok()).unwrap_or(200);
    let mut s = Store::open(std::path::Path::new(&path)).expect("open the database");
    if let Ok(sql) = std::env::var("PRAGMAS") {
        let t = Instant::now();
        s.connection().execute_batch(&sql).expect("PRAGMAS");
        println!("PRAGMAS: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    }
    let people = carnet_gen::people(4242, n);
    let mut ids = vec![];
    let mut creates = vec![];
    for (i, p) in people.into_iter().enumerate() {
        let mut b = p.body;
        if let Some(list) = b.get_mut("emails").and_then(|v| v.as_array_mut()) {
            for e in list {
                if let Some(v) = e.get_mut("value") {
                    *v = format!("w{i}{}", v.as_str().unwrap_or("")).into();
                }
            }
        }
        let t = Instant::now();
        let r = s.create_person(&b).expect("create");
        creates.push((t.elapsed().as_secs_f64() * 1e3, wal_pages(&path), i));
        ids.push(r.id);
    }
    let mut updates = vec![];
    for (i, id) in ids.iter().enumerate() {
        let t = Instant::now();
        s.update_person(id, &serde_json::json!({"jobTitle": format!("Title {i}")}))
            .expect("update");
        updates.push((t.elapsed().as_secs_f64() * 1e3, wal_pages(&path), i));
    }
    report("create", &mut creates);
    report("update", &mut updates);
}
