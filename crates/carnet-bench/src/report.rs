//! Statistics (median, p95) and the Markdown report with the machine it ran on.

use std::time::Duration;

pub struct Stats {
    pub p50: Duration,
    pub p95: Duration,
    pub n: usize,
}

impl Stats {
    pub fn of(samples: &[Duration]) -> Stats {
        let mut s = samples.to_vec();
        s.sort();
        let pick = |q: f64| {
            s.get(((s.len() as f64 - 1.0) * q).round() as usize)
                .copied()
                .unwrap_or_default()
        };
        Stats {
            p50: pick(0.5),
            p95: pick(0.95),
            n: s.len(),
        }
    }
}

fn fmt(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 1e6 {
        format!("{:.2} s", us / 1e6)
    } else if us >= 1e3 {
        format!("{:.2} ms", us / 1e3)
    } else {
        format!("{us:.0} µs")
    }
}

pub struct Report {
    people: usize,
    seed: u64,
    rows: Vec<String>,
}

impl Report {
    pub fn new(people: usize, seed: u64) -> Self {
        Report {
            people,
            seed,
            rows: vec![],
        }
    }

    pub fn row(&mut self, what: &str, carnet: Stats, base: Stats, target: &str) {
        self.rows.push(format!(
            "| {what} | {} | {} | {} | {} | {} | {target} |",
            fmt(carnet.p50),
            fmt(carnet.p95),
            fmt(base.p50),
            fmt(base.p95),
            carnet.n
        ));
    }

    pub fn markdown(&self) -> String {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("model name"))
                    .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
            })
            .unwrap_or_else(|| "unknown CPU".into());
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0);
        // The load at the end of the run: these machines are shared, so say how busy it was.
        let load = std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|l| l.split_whitespace().next().map(String::from))
            .unwrap_or_else(|| "?".into());
        let mut out = format!(
            "# Benchmarks\n\n{} people (seed {}), `cargo run --release -p carnet-bench -- --people {}`, \
             on {cores} cores ({cpu}), load average {load}, SQLite {}. Medians and p95 of n samples; Carnet and the bare \
             rusqlite baseline measured in the same run on the same generated data.\n\n\
             | operation | Carnet p50 | Carnet p95 | baseline p50 | baseline p95 | n | target |\n|---|---|---|---|---|---|---|\n",
            self.people,
            self.seed,
            self.people,
            rusqlite::version()
        );
        for r in &self.rows {
            out.push_str(r);
            out.push('\n');
        }
        out
    }
}
