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

/// Each run's `a` divided by the same run's `b`, and their median: a ratio taken within one
/// run cancels most of what a noisy machine does to both.
pub fn ratios(a: &[Duration], b: &[Duration]) -> (Vec<f64>, f64) {
    let r: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(x, y)| x.as_secs_f64() / y.as_secs_f64())
        .collect();
    let mut s = r.clone();
    s.sort_by(f64::total_cmp);
    let median = match s.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2.0,
    };
    (r, median)
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
    notes: Vec<String>,
}

impl Report {
    pub fn new(people: usize, seed: u64) -> Self {
        Report {
            people,
            seed,
            rows: vec![],
            notes: vec![],
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

    /// A paragraph printed under the table.
    pub fn note(&mut self, text: String) {
        self.notes.push(text);
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
        for n in &self.notes {
            out.push('\n');
            out.push_str(n);
            out.push('\n');
        }
        out
    }
}
